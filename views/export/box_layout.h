#pragma once
#include "views/export/diagram_tree.h"

#include <cstddef>
#include <string>
#include <vector>

namespace canopy::exporting {

/// Places a DiagramTree on a grid of character cells, the way observer.md's hand-drawn diagram
/// does: a box per node, children side by side under their parent (connected through a bar), or,
/// when that would be wider than the page, stacked under it on a trunk line. The ASCII exporter
/// paints this grid; the Graphviz renderer scales it to points for big trees. Deterministic.
class BoxLayout {
public:
    /// Gap in columns between sibling subtrees drawn side by side.
    static constexpr int kSiblingGap = 3;
    /// Narrowest width a stacked subtree is given before boxes are allowed to overflow.
    static constexpr int kMinWidth = 24;
    /// Most layers drawn behind a herd's front box.
    static constexpr int kMaxStack = 2;

    /// A cell position (x: column, y: row, both from the top-left).
    struct Point {
        int x = 0;
        int y = 0;
    };
    /// One node's box: the front box's corners are (x, y) and (x+w-1, y+h-1); a herd has `stack`
    /// more boxes behind it, each offset by one cell right and down.
    struct Box {
        int x = 0, y = 0, w = 0, h = 0;
        int stack = 0;
        /// Text lines, already decoded, centred in the box.
        std::vector<std::u32string> lines;
    };
    /// A connector from a parent to a child as an axis-aligned polyline of cells: it starts on the
    /// parent's bottom border and its last point is the arrow cell (on or next to the child's box).
    struct Edge {
        std::size_t from = 0;
        std::size_t to = 0;
        std::vector<Point> points;
    };

    /// Lays out `tree` for a page `width` columns wide (<= 0: unlimited); `plainAscii` selects the
    /// text variant of labels (`x3` instead of `×3`).
    BoxLayout(const DiagramTree& tree, int width, bool plainAscii);

    /// Boxes, indexed like tree.nodes().
    const std::vector<Box>& boxes() const { return m_boxes; }
    /// Connectors, parents before children.
    const std::vector<Edge>& edges() const { return m_edges; }
    /// Size of the whole picture in cells.
    int width() const { return m_width; }
    /// Height of the whole picture in rows.
    int height() const { return m_height; }

private:
    std::vector<Box> m_boxes;
    std::vector<Edge> m_edges;
    int m_width = 0;
    int m_height = 0;
};

} // namespace canopy::exporting
