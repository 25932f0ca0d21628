#pragma once
#include "views/export/diagram_tree.h"

#include <string>

namespace canopy::exporting {

/// Writes a DiagramTree as a Graphviz `digraph`: one node per diagram node with a stable quoted id
/// (the child path, never a pid), shapes by kind (supervisor: box, dynamic supervisor: double box,
/// worker: ellipse, herd: box3d), strategy in the label, optionally one cluster per supervisor.
class DotExporter {
public:
    /// `clusters` wraps each supervisor's children in a dashed `cluster_` subgraph.
    explicit DotExporter(bool clusters);

    /// The DOT source. Same tree -> same bytes; accepted by `dot -Tsvg`.
    std::string render(const DiagramTree& tree) const;

    /// `text` as the body of a DOT double-quoted string (quotes and backslashes escaped).
    static std::string quote(const std::string& text);

private:
    bool m_clusters;
};

} // namespace canopy::exporting
