#include "views/export/ascii_exporter.h"

#include "views/export/text_canvas.h"

#include <algorithm>
#include <climits>

namespace canopy::exporting {

namespace {

constexpr int kMaxStack = 2; // back layers drawn behind a herd's front box
constexpr std::size_t kMaxShrinkChildren = 12; // wider fan-outs are not squeezed, they stack

/// Geometry of one node's box (front box plus stacked layers).
struct BoxShape {
    std::vector<std::u32string> lines;
    int bw = 0;    // front box width
    int bh = 0;    // front box height
    int stack = 0; // number of layers behind
    int footprintW() const { return bw + stack; }
    int footprintH() const { return bh + stack; }
    int anchor() const { return bw / 2; }
};

/// How a subtree is placed for a given width budget.
struct Placement {
    int budget = 0;
    int w = 0, h = 0;
    int rootX = 0;         // x of the root's front box in the block
    bool stacked = false;  // children stacked vertically on a trunk
    std::vector<int> childBudget; // budget each child was measured with
    std::vector<int> childX;      // horizontal: x of each child block
};

class Layout {
public:
    Layout(const DiagramTree& tree, bool plainAscii) : m_tree(tree), m_memo(tree.nodes().size()) {
        m_shapes.reserve(tree.nodes().size());
        for (const auto& node : tree.nodes()) {
            BoxShape s;
            std::size_t widest = 0;
            for (const auto& line : node.lines(plainAscii)) {
                s.lines.push_back(TextCanvas::decodeUtf8(line));
                widest = std::max(widest, s.lines.back().size());
            }
            s.bw = static_cast<int>(widest) + 4;
            s.bh = static_cast<int>(s.lines.size()) + 2;
            s.stack = node.isHerd() ? static_cast<int>(std::min<std::size_t>(node.count - 1, kMaxStack)) : 0;
            m_shapes.push_back(std::move(s));
        }
    }

    const Placement& measure(std::size_t n, int budget) {
        for (const auto& p : m_memo[n])
            if (p.budget == budget) return p;
        Placement p = compute(n, budget);
        m_memo[n].push_back(std::move(p));
        return m_memo[n].back();
    }

    int anchorOf(std::size_t n, int budget) { return measure(n, budget).rootX + m_shapes[n].anchor(); }

    void paint(TextCanvas& canvas, std::size_t n, int budget, int x, int y) {
        const Placement p = measure(n, budget); // copy: memo vectors may grow below
        const BoxShape& s = m_shapes[n];
        const int bx = x + p.rootX;
        drawBox(canvas, s, bx, y);
        const auto& children = m_tree.nodes()[n].children;
        if (children.empty()) return;
        const int bottom = y + s.footprintH() - 1;
        if (!p.stacked) {
            const int top = y + s.footprintH(); // connector row
            const int mid = bx + s.anchor();
            canvas.addLine(mid, bottom, TextCanvas::Down);
            if (children.size() == 1) {
                canvas.put(mid, top, U'▼');
                paint(canvas, children[0], p.childBudget[0], x + p.childX[0], top + 1);
                return;
            }
            int first = INT_MAX, last = INT_MIN;
            std::vector<int> anchors;
            for (std::size_t i = 0; i < children.size(); ++i) {
                int a = x + p.childX[i] + anchorOf(children[i], p.childBudget[i]);
                anchors.push_back(a);
                first = std::min(first, a);
                last = std::max(last, a);
            }
            for (int i = first; i <= last; ++i)
                canvas.addLine(i, top, (i > first ? TextCanvas::Left : 0) | (i < last ? TextCanvas::Right : 0));
            canvas.addLine(mid, top, TextCanvas::Up);
            for (std::size_t i = 0; i < children.size(); ++i) {
                canvas.addLine(anchors[i], top, TextCanvas::Down);
                paint(canvas, children[i], p.childBudget[i], x + p.childX[i], top + 1);
                canvas.put(anchors[i], top + 1, U'▼');
            }
            return;
        }
        // Stacked: a trunk down the left, an arrow into each child's box.
        const int trunk = bx + s.stack + 2;
        const int indent = s.stack + 5;
        canvas.addLine(trunk, bottom, TextCanvas::Down);
        int row = y + s.footprintH();
        for (std::size_t i = 0; i < children.size(); ++i) {
            const Placement& cp = measure(children[i], p.childBudget[i]);
            const int cx = bx + indent;
            const int entry = row + 1;
            const int boxLeft = cx + cp.rootX;
            const int ch = cp.h;
            const int childRootX = cp.rootX;
            (void)childRootX;
            for (int j = row; j < entry; ++j) canvas.addLine(trunk, j, TextCanvas::Up | TextCanvas::Down);
            const bool lastChild = i + 1 == children.size();
            canvas.addLine(trunk, entry, TextCanvas::Up | TextCanvas::Right | (lastChild ? 0 : TextCanvas::Down));
            for (int k = trunk + 1; k < boxLeft - 1; ++k) canvas.addLine(k, entry, TextCanvas::Left | TextCanvas::Right);
            canvas.addLine(boxLeft - 2, entry, TextCanvas::Right);
            canvas.put(boxLeft - 1, entry, U'▶');
            if (!lastChild)
                for (int j = entry + 1; j < row + ch; ++j) canvas.addLine(trunk, j, TextCanvas::Up | TextCanvas::Down);
            paint(canvas, children[i], p.childBudget[i], cx, row);
            row += ch;
        }
    }

private:
    Placement compute(std::size_t n, int budget) {
        const BoxShape& s = m_shapes[n];
        const auto& children = m_tree.nodes()[n].children;
        Placement p;
        p.budget = budget;
        p.w = s.footprintW();
        p.h = s.footprintH();
        if (children.empty()) return p;

        // Side by side. Each child starts with the whole budget; while the row is too wide, the
        // widest child that can still shrink is given less (it may then stack its own children).
        std::vector<int> budgets(children.size(), budget);
        std::vector<char> stuck(children.size(), 0);
        const bool mayShrink = budget > 0 && children.size() <= kMaxShrinkChildren;
        for (std::size_t attempt = 0;; ++attempt) {
            std::vector<int> xs;
            std::vector<int> widths;
            int cur = 0, tallest = 0, first = 0, last = 0;
            for (std::size_t i = 0; i < children.size(); ++i) {
                const Placement& cp = measure(children[i], budgets[i]);
                xs.push_back(cur);
                widths.push_back(cp.w);
                int a = cur + cp.rootX + m_shapes[children[i]].anchor();
                if (i == 0) first = a;
                last = a;
                tallest = std::max(tallest, cp.h);
                cur += cp.w + AsciiExporter::kSiblingGap;
            }
            const int childrenW = cur - AsciiExporter::kSiblingGap;
            const int mid = (first + last) / 2;
            int rootX = mid - s.anchor();
            int shift = rootX < 0 ? -rootX : 0;
            rootX += shift;
            for (int& x : xs) x += shift;
            const int w = std::max(rootX + s.footprintW(), childrenW + shift);
            if (budget <= 0 || w <= budget || children.size() == 1) {
                p.w = w;
                p.h = s.footprintH() + 1 + tallest;
                p.rootX = rootX;
                p.childX = std::move(xs);
                p.childBudget = std::move(budgets);
                return p;
            }
            if (!mayShrink || attempt >= 2 * kMaxShrinkChildren) break;
            // Shrink the widest child that is not stuck.
            std::size_t pick = children.size();
            for (std::size_t i = 0; i < children.size(); ++i)
                if (!stuck[i] && (pick == children.size() || widths[i] > widths[pick])) pick = i;
            if (pick == children.size()) break;
            const int target = std::max(AsciiExporter::kMinWidth, widths[pick] - (w - budget));
            if (target >= budgets[pick] || measure(children[pick], target).w >= widths[pick]) {
                stuck[pick] = 1;
                continue;
            }
            budgets[pick] = target;
        }
        // Stacked vertically on a trunk, children indented.
        const int indent = s.stack + 5;
        p.stacked = true;
        const int childBudget = budget <= 0 ? budget : std::max(budget - indent, AsciiExporter::kMinWidth);
        p.childBudget.assign(children.size(), childBudget);
        p.rootX = 0;
        int widest = 0, total = 0;
        for (auto c : children) {
            const Placement& cp = measure(c, childBudget);
            widest = std::max(widest, cp.w);
            total += cp.h;
        }
        p.w = std::max(s.footprintW(), indent + widest);
        p.h = s.footprintH() + total;
        return p;
    }

    void drawBox(TextCanvas& canvas, const BoxShape& s, int x, int y) {
        for (int k = s.stack; k >= 0; --k) canvas.box(x + k, y + k, s.bw, s.bh);
        const int inner = s.bw - 2;
        for (std::size_t i = 0; i < s.lines.size(); ++i) {
            const int len = static_cast<int>(s.lines[i].size());
            canvas.text(x + 1 + (inner - len) / 2, y + 1 + static_cast<int>(i), s.lines[i]);
        }
    }

    const DiagramTree& m_tree;
    std::vector<BoxShape> m_shapes;
    std::vector<std::vector<Placement>> m_memo;
};

} // namespace

AsciiExporter::AsciiExporter(int width, bool plainAscii) : m_width(width), m_plainAscii(plainAscii) {}

std::string AsciiExporter::render(const DiagramTree& tree) const {
    if (tree.empty()) return "(no processes)\n";
    Layout layout(tree, m_plainAscii);
    int w = 0, h = 0;
    for (std::size_t i = 0; i < tree.roots().size(); ++i) {
        const Placement& p = layout.measure(tree.roots()[i], m_width);
        w = std::max(w, p.w);
        h += p.h + (i ? 1 : 0);
    }
    TextCanvas canvas(w, h);
    int y = 0;
    for (auto root : tree.roots()) {
        const int ph = layout.measure(root, m_width).h;
        layout.paint(canvas, root, m_width, 0, y);
        y += ph + 1;
    }
    std::string out = canvas.render(m_plainAscii);
    if (tree.truncated()) out += "(levels deeper than " + std::to_string(DiagramTree::kMaxDepth) + " not drawn)\n";
    return out;
}

} // namespace canopy::exporting
