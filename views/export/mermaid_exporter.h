#pragma once
#include "views/export/diagram_tree.h"

#include <cstddef>
#include <string>

namespace canopy::exporting {

/// Writes a DiagramTree as a Mermaid `flowchart TD` that GitHub renders in markdown: supervisors
/// as rectangles, dynamic supervisors as subroutine boxes, workers rounded, herds with a thick
/// border and `×N`; ids derived from the child path.
class MermaidExporter {
public:
    /// Mermaid's default `maxEdges`: diagrams with this many edges are refused by renderers such as GitHub.
    static constexpr std::size_t kMaxEdges = 500;
    /// Mermaid's default `maxTextSize` in characters.
    static constexpr std::size_t kMaxTextSize = 50000;

    /// The Mermaid source (no markdown fence). Same tree -> same bytes. Past Mermaid's default limits
    /// a `%%` comment line after the header says that renderers will refuse it.
    std::string render(const DiagramTree& tree) const;

    /// A Mermaid-safe node id for a diagram path (letters, digits, `_`), e.g. `Todo_Supervisor__Todo_Cache`.
    static std::string identifier(const std::string& path);
};

} // namespace canopy::exporting
