#include "views/export/layout_dot_exporter.h"

#include "views/export/dot_exporter.h"

#include <cstdio>

namespace canopy::exporting {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string escapeLabel(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return out;
}

constexpr double kArrowLength = 7.0; // arrowsize 0.7

} // namespace

std::string LayoutDotExporter::render(const DiagramTree& tree, const BoxLayout& layout) const {
    const double H = layout.height();
    auto X = [](double cx) { return (cx + 0.5) * kCellWidth; };
    auto Y = [H](double cy) { return (H - cy - 0.5) * kCellHeight; };
    std::string out;
    out.reserve(tree.nodes().size() * 220 + 512);
    out += "// Supervision tree exported by Canopy, positioned by its box layout (Graphviz engine nop2).\n";
    out += "digraph canopy {\n";
    out += "  graph [splines=true, outputorder=edgesfirst, bb=\"0,0," + num((layout.width() + 1) * kCellWidth) + "," +
           num((H + 1) * kCellHeight) + "\"];\n";
    out += "  node [fontname=\"DejaVu Sans\", fontsize=10, style=filled, fixedsize=true, color=\"#333333\"];\n";
    out += "  edge [color=\"#555555\", arrowsize=0.7];\n";
    const auto& nodes = tree.nodes();
    const auto& boxes = layout.boxes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const DiagramNode& n = nodes[i];
        const BoxLayout::Box& b = boxes[i];
        const double left = X(b.x), right = X(b.x + b.w - 1), top = Y(b.y), bottom = Y(b.y + b.h - 1);
        std::string label;
        for (const auto& line : n.lines(false)) {
            if (!label.empty()) label += "\\n";
            label += escapeLabel(line);
        }
        out += "  " + DotExporter::quote(n.id) + " [label=\"" + label + "\", pos=\"" + num((left + right) / 2) + "," +
               num((top + bottom) / 2) + "\", width=" + num((right - left) / 72.0) + ", height=" +
               num((top - bottom) / 72.0);
        if (n.isHerd()) out += ", shape=box3d";
        else if (n.kind == "dynamic_supervisor") out += ", shape=box, peripheries=2";
        else if (n.kind == "supervisor") out += ", shape=box";
        else out += n.ghost ? ", shape=box" : ", shape=box, style=\"rounded,filled\"";
        if (n.ghost) {
            // A slot with no running process: dashed outline, greyed text.
            out += ", style=\"dashed,filled\", fillcolor=\"#f4f4f4\", color=\"#8a8a8a\", fontcolor=\"#6a6a6a\"";
        } else {
            out += n.kind == "dynamic_supervisor" ? ", fillcolor=\"#dff3e3\""
                   : n.kind == "supervisor"        ? ", fillcolor=\"#dce9f7\""
                                                   : ", fillcolor=\"#fff6d9\"";
            if (n.isSupervisor()) out += ", penwidth=1.4";
        }
        out += "];\n";
    }
    for (const auto& e : layout.edges()) {
        if (e.points.size() < 2) continue;
        const BoxLayout::Box& from = boxes[e.from];
        const BoxLayout::Box& to = boxes[e.to];
        std::vector<std::pair<double, double>> pts;
        for (const auto& p : e.points) pts.emplace_back(X(p.x), Y(p.y));
        pts.front().second = Y(from.y + from.h - 1); // leave from the front box, not the herd's stack
        const auto a = e.points[e.points.size() - 2], z = e.points.back();
        std::pair<double, double> tip;
        std::pair<double, double>& last = pts.back();
        if (z.x > a.x) { // entering from the left
            tip = {X(to.x), Y(z.y)};
            last = {tip.first - kArrowLength, tip.second};
        } else { // entering from above
            tip = {X(z.x), Y(to.y)};
            last = {tip.first, tip.second + kArrowLength};
        }
        std::string pos = "e," + num(tip.first) + "," + num(tip.second) + " " + num(pts[0].first) + "," + num(pts[0].second);
        for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
            const std::string p0 = num(pts[i].first) + "," + num(pts[i].second);
            const std::string p1 = num(pts[i + 1].first) + "," + num(pts[i + 1].second);
            pos += " " + p0 + " " + p1 + " " + p1;
        }
        out += "  " + DotExporter::quote(nodes[e.from].id) + " -> " + DotExporter::quote(nodes[e.to].id) + " [pos=\"" +
               pos + "\"];\n";
    }
    out += "}\n";
    return out;
}

} // namespace canopy::exporting
