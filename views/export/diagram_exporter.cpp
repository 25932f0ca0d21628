#include "views/export/diagram_exporter.h"

#include "views/export/ascii_exporter.h"
#include "views/export/diagram_tree.h"
#include "views/export/dot_exporter.h"
#include "views/export/graphviz_renderer.h"
#include "views/export/mermaid_exporter.h"

#include "views/export/box_layout.h"
#include "views/export/layout_dot_exporter.h"

#include <exception>
#include <optional>

namespace canopy::exporting {

namespace {

/// The box layout whose shape fits the page best: tries several page widths (in columns) and keeps
/// the one the page can show largest; without a page, the one that suits a poster.
BoxLayout boxLayoutFor(const DiagramTree& tree, const GraphvizRenderer& renderer) {
    if (renderer.fitZoom(1, 1) == 0) {
        // No page: aim for the proportions of a poster (portrait or landscape).
        GraphvizRenderer::Page poster;
        GraphvizRenderer::parsePage("a0", poster);
        return boxLayoutFor(tree, GraphvizRenderer("pdf", poster, false, 72));
    }
    std::optional<BoxLayout> best;
    double bestZoom = -1;
    const int natural = BoxLayout(tree, 0, false).width(); // nothing gets wider than this
    for (int width : {80, 120, 180, 270, 400, 600, 900, 1350, 2000}) {
        BoxLayout candidate(tree, std::min(width, natural), false);
        const double zoom = renderer.fitZoom(candidate.width() * LayoutDotExporter::kCellWidth,
                                             candidate.height() * LayoutDotExporter::kCellHeight);
        if (zoom > bestZoom * 1.02) { // a wider layout must be clearly better
            bestZoom = zoom;
            best.emplace(std::move(candidate));
        } else if (zoom < bestZoom * 0.8) {
            break; // past the best shape: wider layouts only get flatter
        }
        if (width >= natural) break;
    }
    return std::move(*best);
}

} // namespace

ExportResult DiagramExporter::exportSnapshot(const introspection::TreeSnapshot& snapshot,
                                             const ExportOptions& options) {
    try {
        const DiagramTree tree = DiagramTree::build(snapshot, options.herds, options.annotate);
        switch (options.format) {
        case ExportFormat::Ascii:
            return ExportResult::success(AsciiExporter(options.width, options.plainAscii).render(tree));
        case ExportFormat::Dot:
            return ExportResult::success(DotExporter(options.clusters).render(tree));
        case ExportFormat::Mermaid:
            return ExportResult::success(MermaidExporter().render(tree));
        case ExportFormat::Pdf:
        case ExportFormat::Svg:
        case ExportFormat::Png: {
            GraphvizRenderer::Page page;
            std::string pageName = options.page.empty() ? (options.format == ExportFormat::Pdf ? "a4" : "none")
                                                        : options.page;
            if (!GraphvizRenderer::parsePage(pageName, page))
                return ExportResult::failure("unknown page size '" + pageName +
                                             "' (use a4, a3, a2, a1, a0, poster, letter, legal, tabloid, none or WxH in inches)");
            if (tree.empty()) return ExportResult::failure("the snapshot has no processes to draw");
            if (options.layout != "auto" && options.layout != "dot" && options.layout != "boxes")
                return ExportResult::failure("unknown layout '" + options.layout + "' (use auto, dot or boxes)");
            const GraphvizRenderer renderer(std::string(toString(options.format)), page, options.landscape, options.dpi);
            const bool useDot = options.layout == "dot" ||
                                (options.layout == "auto" && tree.nodes().size() <= kDotNodeLimit);
            if (useDot) return renderer.render(DotExporter(options.clusters).render(tree), "dot");
            return renderer.render(LayoutDotExporter().render(tree, boxLayoutFor(tree, renderer)), "nop2");
        }
        }
        return ExportResult::failure("unknown export format");
    } catch (const std::bad_alloc&) {
        return ExportResult::failure("out of memory while drawing the diagram");
    } catch (const std::exception& e) {
        return ExportResult::failure(std::string("export failed: ") + e.what());
    }
}

} // namespace canopy::exporting
