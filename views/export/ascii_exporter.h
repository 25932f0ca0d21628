#pragma once
#include "views/export/diagram_tree.h"

#include <string>

namespace canopy::exporting {

/// Draws a DiagramTree as a box diagram in the style of observer.md's hand-drawn tree (layout by
/// BoxLayout): one box per node, the strategy in parentheses under supervisors, herds as a stack
/// of boxes, `▼`/`▶` arrows into children; Unicode box drawing or plain `+-|`.
class AsciiExporter {
public:
    /// `width` is the page width in columns (<= 0: unlimited); `plainAscii` draws with `+-|`.
    AsciiExporter(int width, bool plainAscii);

    /// The diagram as UTF-8 text, one line per row, each ending in `\n`. Same tree -> same bytes.
    std::string render(const DiagramTree& tree) const;

private:
    int m_width;
    bool m_plainAscii;
};

} // namespace canopy::exporting
