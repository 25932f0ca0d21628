#include "views/export/text_canvas.h"

namespace canopy::exporting {

TextCanvas::TextCanvas(int width, int height)
    : m_width(width < 0 ? 0 : width), m_height(height < 0 ? 0 : height),
      m_cells(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height)) {}

TextCanvas::Cell* TextCanvas::at(int x, int y) {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return nullptr;
    return &m_cells[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_width) + static_cast<std::size_t>(x)];
}

void TextCanvas::box(int x, int y, int w, int h) {
    if (w < 2 || h < 2) return;
    const int x2 = x + w - 1, y2 = y + h - 1;
    // Hide the interior, and the halves of lines on the border that point into it.
    for (int j = y + 1; j < y2; ++j)
        for (int i = x + 1; i < x2; ++i)
            if (Cell* c = at(i, j)) *c = Cell{};
    for (int i = x + 1; i < x2; ++i) {
        if (Cell* c = at(i, y)) c->lines &= static_cast<std::uint8_t>(~Down), c->glyph = 0;
        if (Cell* c = at(i, y2)) c->lines &= static_cast<std::uint8_t>(~Up), c->glyph = 0;
    }
    for (int j = y + 1; j < y2; ++j) {
        if (Cell* c = at(x, j)) c->lines &= static_cast<std::uint8_t>(~Right), c->glyph = 0;
        if (Cell* c = at(x2, j)) c->lines &= static_cast<std::uint8_t>(~Left), c->glyph = 0;
    }
    for (int i = x; i <= x2; ++i) {
        addLine(i, y, (i > x ? Left : 0) | (i < x2 ? Right : 0));
        addLine(i, y2, (i > x ? Left : 0) | (i < x2 ? Right : 0));
    }
    for (int j = y; j <= y2; ++j) {
        addLine(x, j, (j > y ? Up : 0) | (j < y2 ? Down : 0));
        addLine(x2, j, (j > y ? Up : 0) | (j < y2 ? Down : 0));
    }
}

void TextCanvas::addLine(int x, int y, std::uint8_t directions) {
    if (Cell* c = at(x, y)) c->lines |= directions;
}

void TextCanvas::put(int x, int y, char32_t glyph) {
    if (Cell* c = at(x, y)) c->glyph = glyph;
}

void TextCanvas::text(int x, int y, std::u32string_view text) {
    for (char32_t ch : text) put(x++, y, ch);
}

namespace {

char32_t lineGlyph(std::uint8_t m) {
    constexpr std::uint8_t U = TextCanvas::Up, D = TextCanvas::Down, L = TextCanvas::Left, R = TextCanvas::Right;
    switch (m) {
    case 0: return U' ';
    case L: case R: case L | R: return U'─';
    case U: case D: case U | D: return U'│';
    case D | R: return U'┌';
    case D | L: return U'┐';
    case U | R: return U'└';
    case U | L: return U'┘';
    case U | D | R: return U'├';
    case U | D | L: return U'┤';
    case D | L | R: return U'┬';
    case U | L | R: return U'┴';
    default: return U'┼';
    }
}

char plainGlyph(std::uint8_t m) {
    constexpr std::uint8_t U = TextCanvas::Up, D = TextCanvas::Down, L = TextCanvas::Left, R = TextCanvas::Right;
    if (m == 0) return ' ';
    if ((m & (U | D)) == 0) return '-';
    if ((m & (L | R)) == 0) return '|';
    return '+';
}

char32_t plainFor(char32_t glyph) {
    switch (glyph) {
    case U'▼': return U'v';
    case U'▶': return U'>';
    case U'×': return U'x';
    default: return glyph;
    }
}

} // namespace

std::string TextCanvas::render(bool plainAscii) const {
    std::string out;
    out.reserve(m_cells.size() + static_cast<std::size_t>(m_height));
    for (int y = 0; y < m_height; ++y) {
        std::size_t lineStart = out.size();
        std::size_t lastInk = out.size();
        for (int x = 0; x < m_width; ++x) {
            const Cell& c = m_cells[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_width) + static_cast<std::size_t>(x)];
            if (c.glyph != 0) {
                char32_t g = plainAscii ? plainFor(c.glyph) : c.glyph;
                appendUtf8(out, g);
                if (g != U' ') lastInk = out.size();
            } else if (c.lines == 0) {
                out += ' ';
            } else {
                if (plainAscii) out += plainGlyph(c.lines);
                else appendUtf8(out, lineGlyph(c.lines));
                lastInk = out.size();
            }
        }
        (void)lineStart;
        out.resize(lastInk);
        out += '\n';
    }
    return out;
}

std::u32string TextCanvas::decodeUtf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
            out += U'\uFFFD';
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        bool valid = true;
        for (int k = 1; k < len; ++k) {
            auto cb = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cb & 0xC0) != 0x80) { valid = false; break; }
            cp = (cp << 6) | (cb & 0x3F);
        }
        if (!valid || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out += U'\uFFFD';
            ++i;
            continue;
        }
        // Control characters would break the grid: show them as spaces.
        out += (cp < 0x20 || cp == 0x7F) ? U' ' : cp;
        i += static_cast<std::size_t>(len);
    }
    return out;
}

void TextCanvas::appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

} // namespace canopy::exporting
