#pragma once
#include "views/export/diagram_tree.h"

#include <string>

namespace canopy::exporting {

/// Writes a DiagramTree as a Mermaid `flowchart TD` that GitHub renders in markdown: supervisors
/// as rectangles, dynamic supervisors as subroutine boxes, workers rounded, herds with a thick
/// border and `×N`; ids derived from the child path.
class MermaidExporter {
public:
    /// The Mermaid source (no markdown fence). Same tree -> same bytes.
    std::string render(const DiagramTree& tree) const;

    /// A Mermaid-safe node id for a diagram path (letters, digits, `_`), e.g. `Todo_Supervisor__Todo_Cache`.
    static std::string identifier(const std::string& path);
};

} // namespace canopy::exporting
