#pragma once
#include "views/widgets/tree_layout_request.h"
#include "views/widgets/tree_shape_builder.h"

namespace canopy::views {

/// Places a shape's boxes and routes its edges: Graphviz `dot` (splines) up to a node limit, the
/// linear TidyTreeLayout (elbow lines) beyond or when it has to pack or wrap (a supervisor of many
/// workers, a row too wide: dot would draw one very long row), or whichever is forced. A `dot`
/// failure falls back to the tidy tree and is reported. Fills the layout's geometry, engine, error.
class TreeLayoutEngine {
public:
    /// Gaps between sibling boxes and between levels (scene units), for both engines.
    static constexpr double kSiblingGap = 20;
    static constexpr double kLevelGap = 40;

    /// Lays `shape` out; `fitWidth` as TreeLayoutRequest::fitWidth (0 = the tidy tree's defaults);
    /// packed leaves that were in `previous` keep their cells.
    static void run(TreeShapeBuilder::Shape& shape, TreeLayoutRequest::Engine engine, int dotNodeLimit, double fitWidth = 0,
                    const TreeLayout* previous = nullptr);
    /// Lays `shape` out with `dot`; false (and `error` set) when Graphviz fails.
    static bool runDot(TreeShapeBuilder::Shape& shape, QString& error);
    /// Lays `shape` out with the tidy tree; true when it packed or wrapped some children. A packed
    /// leaf that `previous` (a tidy layout) drew keeps its cell.
    static bool runTidy(TreeShapeBuilder::Shape& shape, double fitWidth = 0, const TreeLayout* previous = nullptr);
};

} // namespace canopy::views
