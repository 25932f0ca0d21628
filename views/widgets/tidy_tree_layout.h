#pragma once
#include <cstddef>
#include <vector>

namespace canopy::views {

/// A linear-time tree layout for trees too big (or too wide) for Graphviz `dot`: each subtree gets a
/// band as wide as it needs, sibling bands side by side in order, a parent centred over its
/// children, levels in rows as tall as their tallest box. Two rules keep big trees readable: a node
/// whose children are many leaves lays them out as a block of columns (top to bottom, then left to
/// right) hanging from a spine, so a supervisor of 1,000 workers is not 100,000 pixels wide (given
/// the cells of the previous layout, a leaf that stays keeps its cell and a newcomer takes a free
/// one, so a live fan does not reshuffle when a few children come and go); a node
/// whose children would make one row wider than `wrapWidth` sits at its band's left and wraps them
/// into rows hanging from its stem (an indented tree), so the whole tree keeps a screen-like shape
/// and its top reads from the top-left corner. Edges are elbow lines.
/// Every pass is a loop over the nodes (no recursion): the work is linear in the node count, counted
/// in workUnits() so tests can bound it. Plain numbers in, plain numbers out (scene units, y down).
class TidyTreeLayout {
public:
    /// Spacing and packing.
    struct Options {
        /// Gap between sibling boxes (and between packed columns) and between levels.
        double siblingGap = 20;
        double levelGap = 40;
        /// Vertical gap between packed leaves; indent of a packed leaf from its column's spine.
        double packedGap = 10;
        double packedIndent = 16;
        /// A node whose children are all leaves packs them when it has more than this many and
        /// they would make a row wider than packWidth; one packed in the previous layout
        /// (Input::previousCell) stays packed down to 3 leaves and 0.6 packWidth.
        std::size_t packAbove = 8;
        double packWidth = 1600;
        /// Wanted width : height of a packed block.
        double packAspect = 1.6;
        /// Gap between the trees of a forest.
        double rootGap = 40;
        /// Children are wrapped into rows when one row would be wider than this (and than
        /// wrapAspect times its height); wrapped rows start trunkGap/2 right of the parent's stem.
        double wrapWidth = 2400;
        /// The trees of a forest wrap beyond this width (0: wrapWidth).
        double forestWrapWidth = 0;
        double wrapAspect = 2.5;
        double trunkGap = 24;
    };
    /// A packed leaf's place in its parent's block (-1, -1: not packed, or not known).
    struct Cell {
        int row = -1;
        int col = -1;
    };
    /// The tree: nodes in depth-first order (a parent before its children, siblings in order);
    /// parent[i] < i, or -1 for a root; box sizes; optionally each node's cell in the previous
    /// layout (empty, or one per node).
    struct Input {
        std::vector<int> parent;
        std::vector<double> width;
        std::vector<double> height;
        std::vector<Cell> previousCell;
    };
    /// A point of an edge polyline.
    struct Point {
        double x = 0;
        double y = 0;
    };
    /// Top-left corners per node; per node the polyline from its parent (none for roots), stored
    /// as edgeStart[i] .. edgeStart[i+1] in points.
    struct Output {
        std::vector<double> x;
        std::vector<double> y;
        std::vector<int> edgeStart;
        std::vector<Point> points;
        /// Per node: its cell when it is a packed leaf.
        std::vector<Cell> cell;
        double width = 0;
        double height = 0;
        /// True when some node packed its leaves or wrapped its children.
        bool reshaped = false;
    };

    /// A layout with the default options.
    TidyTreeLayout() : m_options(Options()) {}
    /// A layout with `options`.
    explicit TidyTreeLayout(Options options) : m_options(options) {}
    /// Lays out `input` (which must be in depth-first order; a node whose parent index is not
    /// smaller than its own is treated as a root).
    Output run(const Input& input);
    /// Loop iterations of the last run() (nodes visited per pass plus edge points): linear in n.
    std::size_t workUnits() const { return m_work; }

private:
    Options m_options;
    std::size_t m_work = 0;
};

} // namespace canopy::views
