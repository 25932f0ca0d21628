#include "views/export/export_format.h"

#include <array>
#include <utility>

namespace canopy::exporting {

namespace {
constexpr std::array<std::pair<std::string_view, ExportFormat>, 6> kFormats{{
    {"ascii", ExportFormat::Ascii},
    {"dot", ExportFormat::Dot},
    {"pdf", ExportFormat::Pdf},
    {"svg", ExportFormat::Svg},
    {"png", ExportFormat::Png},
    {"mermaid", ExportFormat::Mermaid},
}};
} // namespace

std::optional<ExportFormat> parseExportFormat(std::string_view text) {
    for (const auto& [name, format] : kFormats)
        if (name == text) return format;
    return std::nullopt;
}

std::string_view toString(ExportFormat format) {
    for (const auto& [name, f] : kFormats)
        if (f == format) return name;
    return "ascii";
}

bool isTextFormat(ExportFormat format) {
    return format != ExportFormat::Pdf && format != ExportFormat::Png;
}

std::string exportFormatNames() {
    std::string out;
    for (const auto& [name, format] : kFormats) {
        if (!out.empty()) out += '|';
        out += name;
    }
    return out;
}

} // namespace canopy::exporting
