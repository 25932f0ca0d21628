#pragma once
#include "views/export/export_result.h"

#include <string>

namespace canopy::exporting {

/// Lays out DOT source with the Graphviz library (gvLayout, engine `dot`) and renders it in memory
/// (gvRenderData) as PDF, SVG or PNG through the cairo plugin: vector output, fonts embedded.
/// Optionally fitted to a page: the drawing is scaled to the page (minus a 0.5 in margin) and
/// centred, in whichever orientation fits it larger. Serialised internally: Graphviz is not re-entrant.
class GraphvizRenderer {
public:
    /// A page size in inches.
    struct Page {
        /// Width in inches.
        double width = 0;
        /// Height in inches.
        double height = 0;
    };

    /// Parses `a4|a3|a2|a1|a0|letter|legal|tabloid|none|WxH` (inches); `none` gives {0,0}.
    /// Returns false for anything else.
    static bool parsePage(const std::string& text, Page& out);

    /// `format` is `pdf`, `svg` or `png`; a zero page means natural size; `landscape` forces the
    /// wide orientation; `dpi` applies to PNG (a PNG without a page is shrunk to at most 8000 px a side).
    GraphvizRenderer(std::string format, Page page, bool landscape, int dpi);

    /// Lays out `dot` source with `engine` (`dot`, or `nop2` for DOT that carries positions) and
    /// renders it; errors from Graphviz come back as one line.
    ExportResult render(const std::string& dot, const std::string& engine = "dot") const;

    /// How much the drawing of a `width` x `height` points graph would be scaled to fit this page
    /// (0 when there is no page).
    double fitZoom(double width, double height) const;

private:
    std::string m_format;
    Page m_page;
    bool m_landscape;
    int m_dpi;
};

} // namespace canopy::exporting
