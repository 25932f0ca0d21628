#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace canopy::exporting {

/// Lays out a directed graph with Graphviz (`dot` by default) and returns where everything went:
/// node centres and sizes, and each edge's spline. Qt-free; the tree canvas uses it for trees up to
/// the size `dot` handles in time. Node sizes are the caller's (from its font metrics), so the
/// layout leaves exactly the room the caller's labels need; Graphviz draws nothing and measures no
/// text. Shares the process's one Graphviz context and lock with the renderer (GraphvizContextLock).
class GraphvizLayout {
public:
    /// A box to place: its size in points (1/72 inch).
    struct Node {
        double width = 54;
        double height = 36;
    };
    /// An edge from `tail` to `head` (indices into Graph::nodes).
    struct Edge {
        std::size_t tail = 0;
        std::size_t head = 0;
    };
    /// What to lay out. With `keepOrder`, the out-edges of each node keep their order left to right
    /// (Graphviz `ordering=out`: children in start order).
    struct Graph {
        std::vector<Node> nodes;
        std::vector<Edge> edges;
        /// Horizontal gap between nodes and vertical gap between ranks, in points.
        double nodeSep = 18;
        double rankSep = 36;
        bool keepOrder = true;
    };
    /// A point in the laid-out drawing: points, origin at the drawing's top-left, y grows downwards.
    struct Point {
        double x = 0;
        double y = 0;
    };
    /// Where a node went: its centre and size (points).
    struct PlacedNode {
        Point centre;
        double width = 0;
        double height = 0;
    };
    /// An edge's spline: a cubic Bézier from tail to head (p0, then c1 c2 p per segment).
    struct PlacedEdge {
        std::vector<Point> bezier;
    };
    /// The layout, or an error.
    struct Result {
        /// In Graph::nodes order.
        std::vector<PlacedNode> nodes;
        /// In Graph::edges order.
        std::vector<PlacedEdge> edges;
        /// Size of the drawing in points.
        double width = 0;
        double height = 0;
        /// Empty on success; otherwise one line starting `graphviz:`.
        std::string error;
        /// True when the layout succeeded.
        bool ok() const { return error.empty(); }
    };

    /// Lays out `graph` with `engine` (`dot`, `neato`, ...); never throws. Edges must be between
    /// existing nodes (others are an error, not a crash).
    static Result layout(const Graph& graph, const std::string& engine = "dot");
};

} // namespace canopy::exporting
