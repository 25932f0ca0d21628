#include "views/export/graphviz_renderer.h"

#include "views/export/graphviz_context_lock.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace canopy::exporting {

namespace {

constexpr double kMarginPoints = 36.0; // half an inch round the drawing
constexpr double kMaxZoom = 2.0;       // small trees are enlarged at most this much
constexpr double kMaxPixels = 8000.0;  // longest side of a PNG without a page

void setGraphAttr(Agraph_t* g, const char* name, const std::string& value) {
    agsafeset(g, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

} // namespace

bool GraphvizRenderer::parsePage(const std::string& text, Page& out) {
    struct Named {
        const char* name;
        double w, h;
    };
    static constexpr Named kPages[] = {
        {"a4", 8.27, 11.69},  {"a3", 11.69, 16.54}, {"a2", 16.54, 23.39}, {"a1", 23.39, 33.11},
        {"a0", 33.11, 46.81}, {"poster", 33.11, 46.81}, {"letter", 8.5, 11.0}, {"legal", 8.5, 14.0},
        {"tabloid", 11.0, 17.0},
    };
    if (text == "none") {
        out = {};
        return true;
    }
    for (const auto& p : kPages)
        if (text == p.name) {
            out = {p.w, p.h};
            return true;
        }
    // WxH in inches, e.g. 24x36 or 8.5x11.
    auto x = text.find('x');
    if (x == std::string::npos || x == 0 || x + 1 >= text.size()) return false;
    char* end = nullptr;
    std::string ws = text.substr(0, x), hs = text.substr(x + 1);
    double w = std::strtod(ws.c_str(), &end);
    if (*end != '\0') return false;
    double h = std::strtod(hs.c_str(), &end);
    if (*end != '\0') return false;
    if (!(w >= 1.0 && h >= 1.0 && w <= 200.0 && h <= 200.0)) return false;
    out = {w, h};
    return true;
}

GraphvizRenderer::GraphvizRenderer(std::string format, Page page, bool landscape, int dpi)
    : m_format(std::move(format)), m_page(page), m_landscape(landscape), m_dpi(dpi) {}

double GraphvizRenderer::fitZoom(double width, double height) const {
    if (m_page.width <= 0 || m_page.height <= 0) return 0;
    const double bw = std::max(1.0, width), bh = std::max(1.0, height);
    const double pw = m_page.width * 72.0, ph = m_page.height * 72.0;
    auto zoomFor = [&](double w, double h) { return std::min((w - 2 * kMarginPoints) / bw, (h - 2 * kMarginPoints) / bh); };
    const double portrait = zoomFor(std::min(pw, ph), std::max(pw, ph));
    const double landscape = zoomFor(std::max(pw, ph), std::min(pw, ph));
    return std::min(kMaxZoom, m_landscape ? landscape : std::max(portrait, landscape));
}

ExportResult GraphvizRenderer::render(const std::string& dot, const std::string& engine) const {
    if (m_format != "pdf" && m_format != "svg" && m_format != "png")
        return ExportResult::failure("graphviz: unsupported output format '" + m_format + "'");
    GraphvizContextLock graphviz;

    Agraph_t* g = agmemread(dot.c_str());
    if (!g) {
        std::string why = graphviz.firstError().empty() ? "cannot parse the DOT source" : graphviz.firstError();
        return ExportResult::failure("graphviz: " + why);
    }
    GVC_t* const gvc = graphviz.context();
    if (!gvc) {
        agclose(g);
        return ExportResult::failure("graphviz: cannot create a rendering context");
    }
    if (m_format == "png") setGraphAttr(g, "dpi", std::to_string(std::clamp(m_dpi, 24, 1200)));
    ExportResult result;
    if (gvLayout(gvc, g, engine.c_str()) != 0) {
        result = ExportResult::failure("graphviz: layout failed" +
                                       (graphviz.firstError().empty() ? std::string() : ": " + graphviz.firstError()));
    } else {
        if (m_page.width > 0 && m_page.height > 0) {
            const boxf bb = GD_bb(g);
            const double bw = std::max(1.0, bb.UR.x - bb.LL.x), bh = std::max(1.0, bb.UR.y - bb.LL.y);
            double pw = m_page.width * 72.0, ph = m_page.height * 72.0;
            auto zoomFor = [&](double w, double h) {
                return std::min((w - 2 * kMarginPoints) / bw, (h - 2 * kMarginPoints) / bh);
            };
            const double portrait = zoomFor(std::min(pw, ph), std::max(pw, ph));
            const double landscape = zoomFor(std::max(pw, ph), std::min(pw, ph));
            const bool wide = m_landscape || landscape > portrait;
            if (wide != (pw > ph)) std::swap(pw, ph);
            const double zoom = std::min(kMaxZoom, wide ? landscape : portrait);
            // viewport W,H,Z,x,y: exact page size in points, zoom, centre of the drawing.
            setGraphAttr(g, "viewport", number(pw) + "," + number(ph) + "," + number(zoom) + "," +
                                            number((bb.LL.x + bb.UR.x) / 2) + "," + number((bb.LL.y + bb.UR.y) / 2));
            setGraphAttr(g, "margin", "0");
        }
        if (m_format == "png" && (m_page.width <= 0 || m_page.height <= 0)) {
            // A natural-size bitmap of a huge tree would take gigabytes: shrink it to kMaxPixels.
            const boxf bb = GD_bb(g);
            const double scale = std::clamp(m_dpi, 24, 1200) / 72.0;
            const double w = (bb.UR.x - bb.LL.x) * scale, h = (bb.UR.y - bb.LL.y) * scale;
            if (w > kMaxPixels || h > kMaxPixels) {
                const double zoom = std::min(kMaxPixels / w, kMaxPixels / h);
                const double vw = (bb.UR.x - bb.LL.x) * zoom + 8, vh = (bb.UR.y - bb.LL.y) * zoom + 8;
                setGraphAttr(g, "viewport", number(vw) + "," + number(vh) + "," + number(zoom) + "," +
                                                number((bb.LL.x + bb.UR.x) / 2) + "," + number((bb.LL.y + bb.UR.y) / 2));
                setGraphAttr(g, "margin", "0");
            }
        }
        char* data = nullptr;
        unsigned int length = 0;
        if (gvRenderData(gvc, g, m_format.c_str(), &data, &length) != 0 || !data) {
            result = ExportResult::failure("graphviz: cannot render " + m_format +
                                           (graphviz.firstError().empty() ? std::string() : ": " + graphviz.firstError()));
        } else {
            result = ExportResult::success(std::string(data, length));
        }
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, g);
    }
    agclose(g);
    return result;
}

} // namespace canopy::exporting
