#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace canopy::exporting {

/// The diagram formats canopyctl export and the GUI's Export menu can produce.
enum class ExportFormat { Ascii, Dot, Mermaid, Pdf, Svg, Png };

/// Parses `ascii|dot|mermaid|pdf|svg|png` (lower case); nullopt for anything else.
std::optional<ExportFormat> parseExportFormat(std::string_view text);

/// The lower-case name of a format, as accepted by parseExportFormat.
std::string_view toString(ExportFormat format);

/// True for formats whose output is text (ascii, dot, mermaid, svg) and may go to stdout.
bool isTextFormat(ExportFormat format);

/// All format names, separated by `|`, for usage and error messages.
std::string exportFormatNames();

} // namespace canopy::exporting
