#pragma once
#include "views/widgets/tree_layout.h"
#include "views/widgets/tree_layout_request.h"
#include "views/widgets/tree_node_metrics.h"

#include <QSizeF>
#include <memory>
#include <vector>

namespace canopy::views {

/// Turns a layout request into the list of nodes to draw (no positions yet): the DiagramTree's nodes
/// (or the pinned subtree), plus members of expanded herds, exiting processes of the previous layout
/// that keep their slot (after their previous sibling), and a diff's removed processes; their text,
/// box sizes (from TreeNodeMetrics), lookups and a hash of the shape. Runs on the layout thread;
/// linear in the nodes of the tree and of the previous layout.
class TreeShapeBuilder {
public:
    /// The nodes of a layout (geometry not set yet) and their box sizes.
    struct Shape {
        std::shared_ptr<TreeLayout> layout;
        std::vector<QSizeF> sizes;
    };

    /// Sizes boxes with `metrics` (which must outlive the builder).
    explicit TreeShapeBuilder(const TreeNodeMetrics& metrics) : m_metrics(metrics) {}
    /// Builds the shape for `request`; `previous` is the layout drawn now (nullptr if none).
    Shape build(const TreeLayoutRequest& request, const TreeLayout* previous) const;

private:
    const TreeNodeMetrics& m_metrics;
};

} // namespace canopy::views
