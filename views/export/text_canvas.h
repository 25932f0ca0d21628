#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace canopy::exporting {

/// A grid of character cells for box drawing. Lines are stored as direction masks per cell, so
/// crossings and junctions (├ ┬ ┼ ...) come out right whatever order things are drawn in; boxes
/// drawn later hide what lies under them. Renders as Unicode box drawing or plain `+-|`.
class TextCanvas {
public:
    /// Line directions leaving a cell.
    enum Direction : std::uint8_t { Up = 1, Down = 2, Left = 4, Right = 8 };

    /// A blank canvas of `width` x `height` cells.
    TextCanvas(int width, int height);

    /// Draws a box with corners (x, y) and (x+w-1, y+h-1), hiding whatever was under its interior.
    void box(int x, int y, int w, int h);
    /// Adds line directions to one cell (out-of-range cells are ignored).
    void addLine(int x, int y, std::uint8_t directions);
    /// Puts a glyph in one cell; it wins over line directions.
    void put(int x, int y, char32_t glyph);
    /// Writes code points left to right starting at (x, y).
    void text(int x, int y, std::u32string_view text);
    /// The picture as UTF-8 lines ending in `\n`, trailing blanks trimmed. `plainAscii` maps
    /// line drawing to `+-|`, arrows to `v`/`>`, and `×` to `x`.
    std::string render(bool plainAscii) const;

    /// Decodes UTF-8 (invalid bytes become U+FFFD).
    static std::u32string decodeUtf8(std::string_view text);
    /// Appends the UTF-8 encoding of one code point.
    static void appendUtf8(std::string& out, char32_t c);

private:
    struct Cell {
        char32_t glyph = 0;
        std::uint8_t lines = 0;
    };
    Cell* at(int x, int y);
    int m_width;
    int m_height;
    std::vector<Cell> m_cells;
};

} // namespace canopy::exporting
