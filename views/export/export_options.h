#pragma once
#include "views/export/export_format.h"

#include <string>

namespace canopy::exporting {

/// How a diagram is drawn. Defaults give the plain diagram of observer.md.
struct ExportOptions {
    /// Output format.
    ExportFormat format = ExportFormat::Ascii;
    /// Add restart counts, mailbox lengths, herd sums and last exit reasons to each node.
    bool annotate = false;
    /// ASCII only: draw with `+-|` instead of Unicode box drawing (and `x` instead of `×`).
    bool plainAscii = false;
    /// ASCII only: the page width in columns; wider subtrees are stacked vertically.
    int width = 100;
    /// Collapse many same-spec children of a dynamic supervisor into one stacked "herd" node.
    bool herds = true;
    /// DOT/PDF/SVG/PNG: draw each supervisor's children inside a cluster box.
    bool clusters = false;
    /// PDF/SVG/PNG: page to fit the drawing on: `a4`, `a3`, `a2`, `a1`, `a0` (poster), `letter`,
    /// `none` (natural size), or `WxH` in inches (e.g. `24x36`). Empty means a4 for PDF, none otherwise.
    std::string page;
    /// PDF/SVG/PNG: rotate the page to landscape.
    bool landscape = false;
    /// PDF/SVG/PNG: `dot` (Graphviz's layered layout), `boxes` (the ASCII diagram's layout, fast
    /// for any size), or `auto` (dot up to DiagramExporter::kDotNodeLimit nodes, boxes beyond).
    std::string layout = "auto";
    /// PNG only: resolution in dots per inch.
    int dpi = 96;
};

} // namespace canopy::exporting
