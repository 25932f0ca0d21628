#pragma once
#include "introspection/tree_snapshot.h"
#include "views/export/diagram_node.h"

#include <cstddef>
#include <vector>

namespace canopy::exporting {

/// The drawable tree built from a TreeSnapshot: nodes in depth-first order, herds grouped, stable
/// ids assigned, annotation lines filled in. Every exporter starts from this, so all formats agree.
class DiagramTree {
public:
    /// Nodes deeper than this are not drawn (a corrupt or pathological snapshot cannot blow the stack).
    static constexpr int kMaxDepth = 200;

    /// Builds the diagram of `snapshot`. `herds` groups same-family children of dynamic supervisors
    /// into one node when there are at least `herdThreshold` of them (2 = any two; the exports'
    /// default); `annotate` fills each node's notes. Deterministic: depends only on the snapshot.
    static DiagramTree build(const introspection::TreeSnapshot& snapshot, bool herds, bool annotate,
                             std::size_t herdThreshold = 2);

    /// All nodes, parents before children (depth-first, start order).
    const std::vector<DiagramNode>& nodes() const { return m_nodes; }
    /// Indices of the root nodes, in start order.
    const std::vector<std::size_t>& roots() const { return m_roots; }
    /// True when nothing is drawn (empty snapshot).
    bool empty() const { return m_nodes.empty(); }
    /// True when some levels were cut at kMaxDepth.
    bool truncated() const { return m_truncated; }

private:
    friend class DiagramTreeBuilder;
    std::vector<DiagramNode> m_nodes;
    std::vector<std::size_t> m_roots;
    bool m_truncated = false;
};

} // namespace canopy::exporting
