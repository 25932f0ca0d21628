#pragma once
#include "views/export/box_layout.h"
#include "views/export/diagram_tree.h"

#include <string>

namespace canopy::exporting {

/// Writes a DiagramTree already placed by BoxLayout as DOT with fixed positions (`pos`, in points)
/// for Graphviz's `nop2` engine (neato -n2): node boxes and orthogonal connectors exactly where the
/// box layout put them. Used for big trees, where `dot`'s own layout takes minutes; O(n).
class LayoutDotExporter {
public:
    /// Points per character column and per text row when the cell grid is scaled to a drawing.
    static constexpr double kCellWidth = 7.2;
    /// Points per row.
    static constexpr double kCellHeight = 14.0;

    /// The positioned DOT source for `tree` laid out as `layout`.
    std::string render(const DiagramTree& tree, const BoxLayout& layout) const;
};

} // namespace canopy::exporting
