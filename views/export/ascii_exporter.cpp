#include "views/export/ascii_exporter.h"

#include "views/export/box_layout.h"
#include "views/export/text_canvas.h"

namespace canopy::exporting {

AsciiExporter::AsciiExporter(int width, bool plainAscii) : m_width(width), m_plainAscii(plainAscii) {}

std::string AsciiExporter::render(const DiagramTree& tree) const {
    if (tree.empty()) return "(no processes)\n";
    const BoxLayout layout(tree, m_width, m_plainAscii);
    TextCanvas canvas(layout.width(), layout.height());
    for (const auto& b : layout.boxes()) {
        for (int k = b.stack; k >= 0; --k) canvas.box(b.x + k, b.y + k, b.w, b.h);
        const int inner = b.w - 2;
        for (std::size_t i = 0; i < b.lines.size(); ++i) {
            const int len = static_cast<int>(b.lines[i].size());
            canvas.text(b.x + 1 + (inner - len) / 2, b.y + 1 + static_cast<int>(i), b.lines[i]);
        }
    }
    for (const auto& e : layout.edges()) {
        for (std::size_t i = 0; i + 1 < e.points.size(); ++i) {
            const auto a = e.points[i], z = e.points[i + 1];
            const int dx = (z.x > a.x) - (z.x < a.x), dy = (z.y > a.y) - (z.y < a.y);
            const std::uint8_t forward = dx > 0 ? TextCanvas::Right : dx < 0 ? TextCanvas::Left : dy > 0 ? TextCanvas::Down : TextCanvas::Up;
            const std::uint8_t backward = dx > 0 ? TextCanvas::Left : dx < 0 ? TextCanvas::Right : dy > 0 ? TextCanvas::Up : TextCanvas::Down;
            for (int x = a.x, y = a.y;; x += dx, y += dy) {
                if (x != z.x || y != z.y) canvas.addLine(x, y, forward);
                if (x != a.x || y != a.y) canvas.addLine(x, y, backward);
                if (x == z.x && y == z.y) break;
            }
        }
        if (e.points.size() >= 2) {
            const auto a = e.points[e.points.size() - 2], z = e.points.back();
            canvas.put(z.x, z.y, z.x > a.x ? U'▶' : U'▼');
        }
    }
    std::string out = canvas.render(m_plainAscii);
    if (tree.truncated()) out += "(levels deeper than " + std::to_string(DiagramTree::kMaxDepth) + " not drawn)\n";
    return out;
}

} // namespace canopy::exporting
