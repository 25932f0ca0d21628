#include "views/export/box_layout.h"

#include "views/export/text_canvas.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

namespace canopy::exporting {

namespace {

constexpr std::size_t kMaxShrinkChildren = 12; // wider fan-outs are not squeezed, they stack
constexpr std::size_t kMinChildrenForColumns = 8; // fewer stacked children stay in one column
constexpr std::size_t kMinPerColumn = 4;
constexpr std::size_t kWorkPerNode = 16; // placements per node before shrinking stops

/// How a subtree is placed for a given width budget (relative to its block's top-left).
struct Placement {
    int budget = 0;
    int w = 0, h = 0;
    int rootX = 0;                // x of the root's front box in the block
    bool stacked = false;         // children stacked vertically on a trunk
    std::vector<int> childBudget; // budget each child was measured with
    std::vector<int> childX;      // side by side: x of each child block
    int columns = 1;              // stacked: number of columns the children are split into
    int perColumn = 0;            // stacked: children per column
    int columnWidth = 0;          // stacked: width of one column (trunk area + widest child)
};

class Placer {
public:
    Placer(const DiagramTree& tree, std::vector<BoxLayout::Box>& boxes, std::vector<BoxLayout::Edge>& edges)
        : m_tree(tree), m_boxes(boxes), m_edges(edges), m_memo(tree.nodes().size()),
          m_workLimit(kWorkPerNode * tree.nodes().size() + 1000) {}

    const Placement& measure(std::size_t n, int budget) {
        for (const auto& p : m_memo[n])
            if (p.budget == budget) return p;
        Placement p = compute(n, budget);
        m_memo[n].push_back(std::move(p));
        return m_memo[n].back();
    }

    /// Assigns absolute positions to the subtree of `n` whose block's top-left is (x, y).
    void place(std::size_t n, int budget, int x, int y) {
        const Placement p = measure(n, budget); // a copy: memo vectors may grow below
        BoxLayout::Box& b = m_boxes[n];
        b.x = x + p.rootX;
        b.y = y;
        const int bx = b.x, bw = b.w, stack = b.stack;
        const int bottom = y + b.h + stack - 1;
        const auto& children = m_tree.nodes()[n].children;
        if (children.empty()) return;
        if (!p.stacked) {
            const int bar = bottom + 1;
            const int mid = bx + bw / 2;
            for (std::size_t i = 0; i < children.size(); ++i) {
                const int cx = x + p.childX[i];
                place(children[i], p.childBudget[i], cx, bar + 1);
                const BoxLayout::Box& c = m_boxes[children[i]];
                const int anchor = c.x + c.w / 2;
                BoxLayout::Edge e{n, children[i], {}};
                if (children.size() == 1) {
                    e.points = {{mid, bottom}, {mid, bar}}; // arrow on the connector row
                } else if (anchor == mid) {
                    e.points = {{mid, bottom}, {mid, bar + 1}};
                } else {
                    e.points = {{mid, bottom}, {mid, bar}, {anchor, bar}, {anchor, bar + 1}};
                }
                m_edges.push_back(std::move(e));
            }
            return;
        }
        // Stacked: one trunk per column; columns after the first hang from a bar under the parent.
        const int trunk0 = bx + stack + 2;
        const int indent = stack + 5;
        const int bar = bottom + 1;
        const int firstRow = p.columns > 1 ? bar + 1 : bottom + 1;
        std::vector<int> rows(static_cast<std::size_t>(p.columns), firstRow);
        for (std::size_t i = 0; i < children.size(); ++i) {
            const int col = static_cast<int>(i) / p.perColumn;
            const int colX = bx + col * (p.columnWidth + BoxLayout::kSiblingGap);
            const int trunk = colX + stack + 2;
            int& row = rows[static_cast<std::size_t>(col)];
            const int childH = measure(children[i], p.childBudget[i]).h;
            place(children[i], p.childBudget[i], colX + indent, row);
            const BoxLayout::Box& c = m_boxes[children[i]];
            const int entry = c.y + 1;
            if (col == 0)
                m_edges.push_back({n, children[i], {{trunk0, bottom}, {trunk0, entry}, {c.x - 1, entry}}});
            else
                m_edges.push_back({n, children[i], {{trunk0, bottom}, {trunk0, bar}, {trunk, bar}, {trunk, entry}, {c.x - 1, entry}}});
            row += childH;
        }
    }

    const std::vector<BoxLayout::Box>& boxes() const { return m_boxes; }

private:
    int anchorOf(std::size_t n, int budget) { return measure(n, budget).rootX + m_boxes[n].w / 2; }

    Placement compute(std::size_t n, int budget) {
        ++m_work;
        const BoxLayout::Box& s = m_boxes[n];
        const int footW = s.w + s.stack, footH = s.h + s.stack, anchor = s.w / 2;
        const auto& children = m_tree.nodes()[n].children;
        Placement p;
        p.budget = budget;
        p.w = footW;
        p.h = footH;
        if (children.empty()) return p;

        // Side by side. Each child starts with the whole budget; while the row is too wide, the
        // widest child that can still shrink is given less (it may then stack its own children).
        std::vector<int> budgets(children.size(), budget);
        std::vector<char> stuck(children.size(), 0);
        // Shrinking re-measures subtrees at new budgets; past a work limit proportional to the tree
        // (deterministic), rows that do not fit simply stack, so any tree lays out in near-linear time.
        const bool mayShrink = budget > 0 && children.size() <= kMaxShrinkChildren && m_work < m_workLimit;
        for (std::size_t attempt = 0;; ++attempt) {
            std::vector<int> xs, widths, anchors;
            int cur = 0, tallest = 0, first = 0, last = 0;
            for (std::size_t i = 0; i < children.size(); ++i) {
                const Placement& cp = measure(children[i], budgets[i]);
                xs.push_back(cur);
                widths.push_back(cp.w);
                const int a = cur + anchorOf(children[i], budgets[i]);
                anchors.push_back(a);
                if (i == 0) first = a;
                last = a;
                tallest = std::max(tallest, cp.h);
                cur += cp.w + BoxLayout::kSiblingGap;
            }
            const int childrenW = cur - BoxLayout::kSiblingGap;
            // The parent sits over the middle of the row; a child's arrow within two columns of
            // that point takes it, so the line runs straight down (no ┬┴ side by side).
            int mid = (first + last) / 2;
            for (int a : anchors)
                if (a != first && a != last && std::abs(a - mid) <= 2) {
                    mid = a;
                    break;
                }
            int rootX = mid - anchor;
            const int shift = rootX < 0 ? -rootX : 0;
            rootX += shift;
            for (int& x : xs) x += shift;
            const int w = std::max(rootX + footW, childrenW + shift);
            if (budget <= 0 || w <= budget || children.size() == 1) {
                p.w = w;
                p.h = footH + 1 + tallest;
                p.rootX = rootX;
                p.childX = std::move(xs);
                p.childBudget = std::move(budgets);
                return p;
            }
            if (!mayShrink || attempt >= 2 * kMaxShrinkChildren) break;
            std::size_t pick = children.size();
            for (std::size_t i = 0; i < children.size(); ++i)
                if (!stuck[i] && (pick == children.size() || widths[i] > widths[pick])) pick = i;
            if (pick == children.size()) break;
            // Shrink by the overflow, but not below an even share of the row (no overshooting).
            const int share = (budget - BoxLayout::kSiblingGap * (static_cast<int>(children.size()) - 1)) /
                              static_cast<int>(children.size());
            const int target = std::max({BoxLayout::kMinWidth, widths[pick] - (w - budget), share});
            if (target >= budgets[pick] || measure(children[pick], target).w >= widths[pick]) {
                stuck[pick] = 1;
                continue;
            }
            budgets[pick] = target;
        }
        // Stacked on a trunk down the left, children indented.
        const int indent = s.stack + 5;
        const int childBudget = std::max(budget - indent, BoxLayout::kMinWidth);
        p.stacked = true;
        p.childBudget.assign(children.size(), childBudget);
        p.rootX = 0;
        int widest = 0;
        std::vector<int> heights;
        for (auto c : children) {
            const Placement& cp = measure(c, childBudget);
            widest = std::max(widest, cp.w);
            heights.push_back(cp.h);
        }
        // Many children: as many columns as the budget allows (at least kMinPerColumn per column).
        p.columnWidth = indent + widest;
        int columns = 1;
        if (children.size() >= kMinChildrenForColumns && budget > 0) {
            columns = std::max(1, (budget + BoxLayout::kSiblingGap) / (p.columnWidth + BoxLayout::kSiblingGap));
            columns = std::min<int>(columns, static_cast<int>(children.size() / kMinPerColumn));
            columns = std::max(columns, 1);
        }
        p.perColumn = static_cast<int>((children.size() + static_cast<std::size_t>(columns) - 1) / static_cast<std::size_t>(columns));
        p.columns = static_cast<int>((children.size() + static_cast<std::size_t>(p.perColumn) - 1) / static_cast<std::size_t>(p.perColumn));
        int tallest = 0;
        for (int col = 0; col < p.columns; ++col) {
            int h = 0;
            for (std::size_t i = static_cast<std::size_t>(col * p.perColumn);
                 i < children.size() && i < static_cast<std::size_t>((col + 1) * p.perColumn); ++i)
                h += heights[i];
            tallest = std::max(tallest, h);
        }
        p.w = std::max(footW, p.columns * p.columnWidth + (p.columns - 1) * BoxLayout::kSiblingGap);
        p.h = footH + (p.columns > 1 ? 1 : 0) + tallest;
        return p;
    }

    const DiagramTree& m_tree;
    std::vector<BoxLayout::Box>& m_boxes;
    std::vector<BoxLayout::Edge>& m_edges;
    std::vector<std::vector<Placement>> m_memo;
    std::size_t m_work = 0;       // placements computed so far
    std::size_t m_workLimit = 0;  // no more shrinking attempts beyond this
};

} // namespace

BoxLayout::BoxLayout(const DiagramTree& tree, int width, bool plainAscii) {
    m_boxes.resize(tree.nodes().size());
    for (std::size_t i = 0; i < tree.nodes().size(); ++i) {
        const DiagramNode& node = tree.nodes()[i];
        Box& b = m_boxes[i];
        std::size_t widest = 0;
        for (const auto& line : node.lines(plainAscii)) {
            b.lines.push_back(TextCanvas::decodeUtf8(line));
            widest = std::max(widest, b.lines.back().size());
        }
        b.w = static_cast<int>(widest) + 4;
        b.h = static_cast<int>(b.lines.size()) + 2;
        b.stack = node.isHerd() ? static_cast<int>(std::min<std::size_t>(node.count - 1, kMaxStack)) : 0;
    }
    m_edges.reserve(tree.nodes().size());
    Placer placer(tree, m_boxes, m_edges);
    int y = 0;
    for (std::size_t i = 0; i < tree.roots().size(); ++i) {
        const Placement& p = placer.measure(tree.roots()[i], width);
        const int h = p.h;
        m_width = std::max(m_width, p.w);
        placer.place(tree.roots()[i], width, 0, y);
        y += h + 1;
    }
    m_height = y > 0 ? y - 1 : 0;
}

} // namespace canopy::exporting
