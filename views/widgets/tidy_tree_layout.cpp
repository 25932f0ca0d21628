#include "views/widgets/tidy_tree_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace canopy::views {

TidyTreeLayout::Output TidyTreeLayout::run(const Input& input) {
    const Options& o = m_options;
    const std::size_t n = std::min({input.parent.size(), input.width.size(), input.height.size()});
    m_work = 0;
    Output out;
    out.x.assign(n, 0.0);
    out.y.assign(n, 0.0);
    out.edgeStart.assign(n + 1, 0);
    if (n == 0) return out;

    // Parents, depths and child lists (children keep their order: they are filed in index order).
    std::vector<int> parent(n), depth(n, 0), childStart(n + 1, 0), childList;
    for (std::size_t i = 0; i < n; ++i, ++m_work) {
        const int p = input.parent[i];
        parent[i] = (p >= 0 && static_cast<std::size_t>(p) < i) ? p : -1;
        if (parent[i] >= 0) {
            depth[i] = depth[static_cast<std::size_t>(parent[i])] + 1;
            ++childStart[static_cast<std::size_t>(parent[i]) + 1];
        }
    }
    for (std::size_t i = 1; i <= n; ++i, ++m_work) childStart[i] += childStart[i - 1];
    childList.resize(static_cast<std::size_t>(childStart[n]));
    {
        std::vector<int> fill(childStart.begin(), childStart.end() - 1);
        for (std::size_t i = 0; i < n; ++i, ++m_work)
            if (parent[i] >= 0) childList[static_cast<std::size_t>(fill[static_cast<std::size_t>(parent[i])]++)] = static_cast<int>(i);
    }
    auto childCount = [&](std::size_t v) { return childStart[v + 1] - childStart[v]; };
    const double w0 = 1.0;
    auto w = [&](std::size_t i) { return std::max(w0, input.width[i]); };
    auto h = [&](std::size_t i) { return std::max(w0, input.height[i]); };

    // Which nodes pack their leaves, and the blocks' columns.
    struct Block {
        int cols = 1;
        int rows = 1;
        double colWidth = 0;
        double rowHeight = 0;
        double width = 0;
    };
    std::vector<int> blockOf(n, -1);
    std::vector<Block> blocks;
    std::vector<char> packedChild(n, 0);
    out.cell.assign(n, Cell{});
    const bool havePrevious = input.previousCell.size() >= n;
    std::vector<char> taken;
    // Last time's cells, when the block keeps (about) its columns: each leaf that stays keeps its
    // cell, newcomers take the free ones (top to bottom, then left to right), and a leaf whose row
    // is beyond a quarter more rows than the children need moves into a hole, so a shrinking fan
    // closes up. False when there is nothing to keep (a fresh block).
    auto keepCells = [&](const int* kids, int k, Block& b, double idealCols) {
        if (!havePrevious) return false;
        int prevCols = 0, known = 0;
        for (int c = 0; c < k; ++c, ++m_work) {
            const Cell& p = input.previousCell[static_cast<std::size_t>(kids[c])];
            if (p.row < 0 || p.col < 0) continue;
            prevCols = std::max(prevCols, p.col + 1);
            ++known;
        }
        // Last time's columns while they are within a band around the ideal count: wide for small
        // blocks (1 column stays up to 1.67 ideal, 2 down to 1.2), so a fan whose size goes up and
        // down by a few does not switch between 1 and 2 columns with every spawn and exit, and a
        // block never ends up far from its shape (a single column of 15).
        const double band = idealCols < 4 ? 1.67 : 1.33;
        if (known == 0 || prevCols > idealCols * band || prevCols * band < idealCols) return false;
        const int cols = prevCols;
        const int needRows = (k + cols - 1) / cols;
        const int maxRows = needRows + std::max(1, needRows / 4);
        taken.assign(static_cast<std::size_t>(cols) * static_cast<std::size_t>(maxRows), 0);
        auto at = [&](int row, int col) -> char& { return taken[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(col)]; };
        int rows = needRows;
        for (int c = 0; c < k; ++c, ++m_work) {
            const auto child = static_cast<std::size_t>(kids[c]);
            const Cell& p = input.previousCell[child];
            out.cell[child] = Cell{};
            if (p.row < 0 || p.col < 0 || p.row >= maxRows || at(p.row, p.col)) continue;
            at(p.row, p.col) = 1;
            out.cell[child] = p;
            rows = std::max(rows, p.row + 1);
        }
        // Newcomers take the free cells, top to bottom, then left to right. The rows in use always
        // have room: rows >= needRows and cols * needRows >= k.
        int col = 0, row = 0;
        for (int c = 0; c < k; ++c, ++m_work) {
            const auto child = static_cast<std::size_t>(kids[c]);
            if (out.cell[child].row >= 0) continue;
            while (at(row, col)) {
                ++m_work;
                if (++row == rows) {
                    row = 0;
                    ++col;
                }
            }
            at(row, col) = 1;
            out.cell[child] = {row, col};
        }
        b.cols = cols;
        b.rows = rows;
        return true;
    };
    // A fan that was packed last time stays packed until its row would take less than
    // kUnpackShare of packWidth (and it has at least 3 leaves): a live fan whose size hovers around
    // the limit does not flip between a row and columns with every spawn and exit.
    constexpr double kUnpackShare = 0.6;
    auto wasPacked = [&](std::size_t v) {
        if (!havePrevious) return false;
        for (int c = childStart[v]; c < childStart[v + 1]; ++c, ++m_work)
            if (input.previousCell[static_cast<std::size_t>(childList[static_cast<std::size_t>(c)])].row >= 0) return true;
        return false;
    };
    for (std::size_t v = 0; v < n; ++v, ++m_work) {
        const int k = childCount(v);
        if (k < 3) continue;
        const bool packedBefore = wasPacked(v);
        if (k <= static_cast<int>(o.packAbove) && !packedBefore) continue;
        bool allLeaves = true;
        double colWidth = 0, rowHeight = 0, rowWidth = (k - 1) * o.siblingGap;
        for (int c = childStart[v]; c < childStart[v + 1]; ++c, ++m_work) {
            const auto child = static_cast<std::size_t>(childList[static_cast<std::size_t>(c)]);
            if (childCount(child) != 0) {
                allLeaves = false;
                break;
            }
            colWidth = std::max(colWidth, w(child));
            rowHeight = std::max(rowHeight, h(child));
            rowWidth += w(child);
        }
        if (!allLeaves || rowWidth <= (packedBefore ? o.packWidth * kUnpackShare : o.packWidth)) continue;
        Block b;
        b.colWidth = colWidth + o.packedIndent;
        b.rowHeight = rowHeight;
        const double ideal = std::sqrt(o.packAspect * k * (rowHeight + o.packedGap) / (b.colWidth + o.siblingGap));
        b.cols = std::clamp(static_cast<int>(std::lround(ideal)), 1, k);
        b.rows = (k + b.cols - 1) / b.cols;
        b.cols = (k + b.rows - 1) / b.rows;
        const int* kids = childList.data() + childStart[v];
        if (!keepCells(kids, k, b, ideal)) {
            // A fresh block: top to bottom, then left to right.
            for (int c = 0; c < k; ++c, ++m_work) out.cell[static_cast<std::size_t>(kids[c])] = {c % b.rows, c / b.rows};
        }
        b.width = b.cols * b.colWidth + (b.cols - 1) * o.siblingGap;
        blockOf[v] = static_cast<int>(blocks.size());
        blocks.push_back(b);
        for (int c = 0; c < k; ++c, ++m_work) packedChild[static_cast<std::size_t>(kids[c])] = 1;
    }

    // Rows: each level as tall as its tallest box (packed leaves hang below their own row).
    int maxDepth = 0;
    for (std::size_t i = 0; i < n; ++i, ++m_work) maxDepth = std::max(maxDepth, depth[i]);
    std::vector<double> levelHeight(static_cast<std::size_t>(maxDepth) + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i, ++m_work)
        if (!packedChild[i]) levelHeight[static_cast<std::size_t>(depth[i])] = std::max(levelHeight[static_cast<std::size_t>(depth[i])], h(i));
    // The height of a node's row: its level's, or its own for a packed leaf.
    auto rowHeight = [&](std::size_t i) { return packedChild[i] ? h(i) : levelHeight[static_cast<std::size_t>(depth[i])]; };

    // Children before parents: band widths, subtree heights, the parent's centre within its band,
    // and where each child goes relative to its parent's band (dx) and top (dy), in one row or
    // wrapped into several.
    std::vector<double> band(n, 0.0), height(n, 0.0), centre(n, 0.0), dx(n, 0.0), dy(n, 0.0), rowMaxHeight;
    std::vector<int> rowOf(n, 0);
    for (std::size_t i = n; i-- > 0; ++m_work) {
        const double wi = w(i), own = rowHeight(i);
        const int k = childCount(i);
        if (k == 0) {
            band[i] = wi;
            centre[i] = wi / 2;
            height[i] = own;
            continue;
        }
        if (blockOf[i] >= 0) {
            const Block& b = blocks[static_cast<std::size_t>(blockOf[i])];
            band[i] = std::max(wi, b.width);
            centre[i] = band[i] / 2;
            height[i] = own + o.levelGap + b.rows * b.rowHeight + (b.rows - 1) * o.packedGap;
            out.reshaped = true;
            continue;
        }
        const int* kids = childList.data() + childStart[i];
        double s = (k - 1) * o.siblingGap, maxHeight = 0, maxBand = 0;
        for (int c = 0; c < k; ++c, ++m_work) {
            const auto child = static_cast<std::size_t>(kids[c]);
            s += band[child];
            maxHeight = std::max(maxHeight, height[child]);
            maxBand = std::max(maxBand, band[child]);
        }
        int rows = 1;
        if (k >= 4 && s > o.wrapWidth && s > o.wrapAspect * (maxHeight + o.levelGap))
            rows = static_cast<int>(std::lround(std::sqrt(s / (o.wrapAspect * (maxHeight + o.levelGap)))));
        if (rows < 2) {
            band[i] = std::max(wi, s);
            double cursor = (band[i] - s) / 2;
            for (int c = 0; c < k; ++c, ++m_work) {
                const auto child = static_cast<std::size_t>(kids[c]);
                dx[child] = cursor;
                dy[child] = own + o.levelGap;
                cursor += band[child] + o.siblingGap;
            }
            height[i] = own + o.levelGap + maxHeight;
        } else {
            // Rows filled greedily up to an even share of the width, hanging from a trunk that comes
            // down from the parent, which sits at the band's left (an indented tree).
            const double indent = wi / 2 + o.trunkGap / 2;
            const double limit = std::max(maxBand, s / rows) * 1.02;
            rowMaxHeight.clear();
            double rowWidth = 0, widest = 0;
            int row = 0;
            for (int c = 0; c < k; ++c, ++m_work) {
                const auto child = static_cast<std::size_t>(kids[c]);
                if (rowWidth > 0 && rowWidth + o.siblingGap + band[child] > limit) {
                    ++row;
                    rowWidth = 0;
                }
                if (static_cast<int>(rowMaxHeight.size()) <= row) rowMaxHeight.push_back(0.0);
                dx[child] = indent + (rowWidth > 0 ? rowWidth + o.siblingGap : 0.0);
                rowWidth = dx[child] - indent + band[child];
                widest = std::max(widest, rowWidth);
                rowOf[child] = row;
                rowMaxHeight[static_cast<std::size_t>(row)] = std::max(rowMaxHeight[static_cast<std::size_t>(row)], height[child]);
            }
            std::vector<double> rowTop(rowMaxHeight.size(), own + o.levelGap);
            for (std::size_t r = 1; r < rowTop.size(); ++r) rowTop[r] = rowTop[r - 1] + rowMaxHeight[r - 1] + o.levelGap;
            for (int c = 0; c < k; ++c, ++m_work) dy[static_cast<std::size_t>(kids[c])] = rowTop[static_cast<std::size_t>(rowOf[static_cast<std::size_t>(kids[c])])];
            band[i] = std::max(wi, indent + widest);
            height[i] = rowTop.back() + rowMaxHeight.back();
            centre[i] = wi / 2;
            out.reshaped = true;
            continue;
        }
        // Centred over the children.
        int lastInRow = 0;
        while (lastInRow + 1 < k && rowOf[static_cast<std::size_t>(kids[lastInRow + 1])] == 0) ++lastInRow;
        const auto first = static_cast<std::size_t>(kids[0]), last = static_cast<std::size_t>(kids[lastInRow]);
        centre[i] = std::clamp((dx[first] + centre[first] + dx[last] + centre[last]) / 2, wi / 2, band[i] - wi / 2);
    }

    // Places, parents before children.
    std::vector<double> left(n, 0.0), top(n, 0.0), spineX(n, 0.0);
    double rootLeft = 0;
    for (std::size_t i = 0; i < n; ++i, ++m_work) {
        if (parent[i] < 0) {
            left[i] = rootLeft;
            top[i] = 0;
            rootLeft += band[i] + o.rootGap;
        }
        if (!packedChild[i]) {
            out.x[i] = left[i] + centre[i] - w(i) / 2;
            out.y[i] = top[i];
        }
        if (childCount(i) == 0) continue;
        if (blockOf[i] >= 0) {
            const Block& b = blocks[static_cast<std::size_t>(blockOf[i])];
            const double blockLeft = left[i] + (band[i] - b.width) / 2;
            const double blockTop = top[i] + rowHeight(i) + o.levelGap;
            for (int c = childStart[i]; c < childStart[i + 1]; ++c, ++m_work) {
                const auto child = static_cast<std::size_t>(childList[static_cast<std::size_t>(c)]);
                const int col = out.cell[child].col, row = out.cell[child].row;
                const double colLeft = blockLeft + col * (b.colWidth + o.siblingGap);
                spineX[child] = colLeft + o.packedIndent / 2;
                out.x[child] = colLeft + o.packedIndent;
                out.y[child] = blockTop + row * (b.rowHeight + o.packedGap);
            }
        } else {
            for (int c = childStart[i]; c < childStart[i + 1]; ++c, ++m_work) {
                const auto child = static_cast<std::size_t>(childList[static_cast<std::size_t>(c)]);
                left[child] = left[i] + dx[child];
                top[child] = top[i] + dy[child];
            }
        }
    }

    // A forest wider than wrapWidth wraps too: the next tree goes below the row's tallest one. Each
    // tree's nodes follow its root (depth-first order), so a tree is a range of indices.
    {
        std::vector<std::size_t> roots;
        for (std::size_t i = 0; i < n; ++i, ++m_work)
            if (parent[i] < 0) roots.push_back(i);
        double x = 0, rowTop = 0, rowBottom = 0;
        bool wrapped = false;
        for (std::size_t j = 0; j < roots.size() && roots.size() > 1; ++j) {
            const std::size_t begin = roots[j], end = j + 1 < roots.size() ? roots[j + 1] : n;
            double minX = out.x[begin], maxX = out.x[begin] + w(begin), maxY = out.y[begin] + h(begin);
            for (std::size_t v = begin; v < end; ++v, ++m_work) {
                minX = std::min(minX, out.x[v]);
                maxX = std::max(maxX, out.x[v] + w(v));
                maxY = std::max(maxY, out.y[v] + h(v));
            }
            if (x > 0 && x + (maxX - minX) > (o.forestWrapWidth > 0 ? o.forestWrapWidth : o.wrapWidth)) {
                x = 0;
                rowTop = rowBottom + o.levelGap;
                wrapped = true;
            }
            const double treeHeight = maxY - out.y[begin];
            const double shiftX = x - minX, shiftY = rowTop - out.y[begin];
            for (std::size_t v = begin; v < end; ++v, ++m_work) {
                out.x[v] += shiftX;
                out.y[v] += shiftY;
                left[v] += shiftX;
                top[v] += shiftY;
                spineX[v] += shiftX;
            }
            rowBottom = std::max(rowBottom, rowTop + treeHeight);
            x += (maxX - minX) + o.rootGap;
        }
        if (wrapped) out.reshaped = true;
    }

    // Elbow edges from each parent's bottom centre: down to a bus half a level gap below the
    // parent's row, across, down into the child (packed leaves: along their column's spine; later
    // rows of wrapped children: down the parent's stem to their own bus).
    out.points.reserve(n * 5);
    for (std::size_t i = 0; i < n; ++i, ++m_work) {
        out.edgeStart[i] = static_cast<int>(out.points.size());
        out.width = std::max(out.width, out.x[i] + w(i));
        out.height = std::max(out.height, out.y[i] + h(i));
        if (parent[i] < 0) continue;
        const auto p = static_cast<std::size_t>(parent[i]);
        const double px = out.x[p] + w(p) / 2, pb = out.y[p] + h(p);
        const double bus = top[p] + rowHeight(p) + o.levelGap / 2;
        out.points.push_back({px, pb});
        out.points.push_back({px, bus});
        if (packedChild[i]) {
            const double cy = out.y[i] + h(i) / 2;
            out.points.push_back({spineX[i], bus});
            out.points.push_back({spineX[i], cy});
            out.points.push_back({out.x[i], cy});
        } else {
            // (Wrapped rows: the parent's stem is the trunk, each row has its own bus.)
            const double cx = out.x[i] + w(i) / 2;
            const double rowBus = rowOf[i] > 0 ? out.y[i] - o.levelGap / 2 : bus;
            out.points.back().y = rowBus;
            out.points.push_back({cx, rowBus});
            out.points.push_back({cx, out.y[i]});
        }
        m_work += 6;
    }
    out.edgeStart[n] = static_cast<int>(out.points.size());
    return out;
}

} // namespace canopy::views
