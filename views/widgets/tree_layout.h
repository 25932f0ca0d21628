#pragma once
#include "views/export/diagram_tree.h"
#include "views/widgets/tree_hit_grid.h"

#include <QHash>
#include <QPoint>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <memory>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace canopy::views {

/// Where the nodes of one tree go and how its edges run: scene rectangles, edge paths and the hit
/// grid. Built on the layout thread; shared (read-only) by every layout that has the same shape.
struct TreeGeometry {
    /// An edge from a node's parent to the node: a polyline, or a cubic Bézier (p0, c1 c2 p, ...).
    struct Edge {
        int firstPoint = 0;
        int pointCount = 0;
        bool bezier = false;
        QRectF bounds;
    };
    /// Per node (TreeLayout::nodes order): the node's box including a herd's stack.
    std::vector<QRectF> rects;
    /// Per node, tidy layouts only: a packed leaf's cell in its parent's block (x column, y row),
    /// or (-1, -1). The next layout keeps these cells for the leaves that stay.
    std::vector<QPoint> cells;
    /// Per node: the edge from its parent (pointCount 0 for roots).
    std::vector<Edge> edges;
    std::vector<QPointF> points;
    /// Everything drawn.
    QRectF bounds;
    /// Node lookup by position.
    TreeHitGrid grid;
};

/// One laid-out tree as the canvas draws it: the drawn nodes in depth-first order (the DiagramTree's
/// nodes, plus nodes the view adds: exiting processes keeping their slot, members of expanded herds,
/// a diff's removed processes), their text, and the geometry. Immutable once built.
struct TreeLayout {
    /// Why a node is drawn.
    enum class Origin : unsigned char {
        Diagram,     ///< a DiagramTree node
        Exiting,     ///< a process that left the tree, kept in its slot until it has faded
        HerdMember,  ///< one member of an expanded herd
        DiffRemoved, ///< a process the diff overlay shows as removed
    };
    /// What the node is.
    enum class Kind : unsigned char { Worker, Supervisor, DynamicSupervisor };

    /// One drawn node.
    struct Node {
        /// Unique key: the DiagramNode id for Diagram nodes (a slot path); synthetic for the others.
        QString key;
        /// Index in tree->nodes() (-1 for nodes the view added).
        int treeIndex = -1;
        /// Index of the parent in nodes (-1 for roots).
        int parent = -1;
        int depth = 0;
        Origin origin = Origin::Diagram;
        Kind kind = Kind::Worker;
        bool herd = false;
        bool ghost = false;
        /// Heading without a herd's count (`Todo.Server`), and the line under it (`(one_for_one)`,
        /// `(DynamicSupervisor)`, `(not running)`, or empty).
        QString title;
        QString subtitle;
        /// Widths of the title and subtitle in their fonts (measured on the layout thread).
        float titleWidth = 0;
        float subtitleWidth = 0;
        /// A herd's spec family (what joins it); empty otherwise.
        std::string family;
        /// The one pid of a node the view added (0 for Diagram nodes: see pids()).
        quint64 pid = 0;
        /// Range of this node's children in TreeLayout::children.
        int firstChild = 0;
        int childCount = 0;
    };

    /// The diagram this layout was made from.
    std::shared_ptr<const exporting::DiagramTree> tree;
    /// Drawn nodes, parents before children, siblings in order.
    std::vector<Node> nodes;
    /// Child indices of every node, node by node (Node::firstChild / childCount).
    std::vector<int> children;
    /// Node index by key.
    QHash<QString, int> byKey;
    /// Node index by pid (every pid a drawn node stands for).
    std::unordered_map<quint64, int> byPid;
    /// Herd node index by `<parent node index>/<family>`: where a spawned pid joins.
    std::unordered_map<std::string, int> herdByParentFamily;
    /// Boxes and edges (shared with the previous layout when the shape did not change).
    std::shared_ptr<const TreeGeometry> geometry;
    /// A hash of everything that decides the geometry (keys, text, sizes, order).
    std::size_t shapeHash = 0;
    /// True when the geometry is the previous layout's (same shape: only counts or pids changed).
    bool sameShape = false;
    /// The request this answers.
    quint64 generation = 0;
    /// False: show it without tweening or fading (first tree, after a reset).
    bool animate = true;
    /// `dot` or `tidy`; worker time; a dot failure that fell back to tidy.
    QString engine;
    double workerMs = 0;
    QString error;

    /// The pids a node stands for (a DiagramNode's pids, or the added node's one pid).
    std::vector<std::uint64_t> pidsOf(int index) const {
        const Node& n = nodes[static_cast<std::size_t>(index)];
        if (n.treeIndex >= 0) return tree->nodes()[static_cast<std::size_t>(n.treeIndex)].pids;
        if (n.pid != 0) return {n.pid};
        return {};
    }
    /// Number of pids a node stands for, without copying.
    std::size_t pidCount(int index) const {
        const Node& n = nodes[static_cast<std::size_t>(index)];
        if (n.treeIndex >= 0) return tree->nodes()[static_cast<std::size_t>(n.treeIndex)].pids.size();
        return n.pid != 0 ? 1 : 0;
    }
    /// The first pid of a node (0 if none).
    quint64 firstPid(int index) const {
        const Node& n = nodes[static_cast<std::size_t>(index)];
        if (n.treeIndex >= 0) {
            const auto& pids = tree->nodes()[static_cast<std::size_t>(n.treeIndex)].pids;
            return pids.empty() ? 0 : pids.front();
        }
        return n.pid;
    }
};

} // namespace canopy::views
