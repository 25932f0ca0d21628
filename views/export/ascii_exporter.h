#pragma once
#include "views/export/diagram_tree.h"

#include <string>

namespace canopy::exporting {

/// Draws a DiagramTree as a box diagram in the style of observer.md's hand-drawn tree: one box per
/// node, the strategy in parentheses under supervisors, herds as a stack of boxes, children side by
/// side under their parent; a subtree too wide for the page is stacked vertically on a trunk line.
class AsciiExporter {
public:
    /// Gap in columns between sibling subtrees drawn side by side.
    static constexpr int kSiblingGap = 3;
    /// Narrowest width a stacked subtree is given before boxes are allowed to overflow.
    static constexpr int kMinWidth = 24;

    /// `width` is the page width in columns (<= 0: unlimited); `plainAscii` draws with `+-|`.
    AsciiExporter(int width, bool plainAscii);

    /// The diagram as UTF-8 text, one line per row, each ending in `\n`. Same tree -> same bytes.
    std::string render(const DiagramTree& tree) const;

private:
    int m_width;
    bool m_plainAscii;
};

} // namespace canopy::exporting
