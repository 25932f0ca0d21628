#include "views/export/diagram_exporter.h"

#include "views/export/ascii_exporter.h"
#include "views/export/diagram_tree.h"
#include "views/export/dot_exporter.h"
#include "views/export/graphviz_renderer.h"
#include "views/export/mermaid_exporter.h"

#include <exception>

namespace canopy::exporting {

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
            const std::string dot = DotExporter(options.clusters).render(tree);
            return GraphvizRenderer(std::string(toString(options.format)), page, options.landscape, options.dpi)
                .render(dot);
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
