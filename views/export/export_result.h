#pragma once
#include <string>

namespace canopy::exporting {

/// Errors are values: either the bytes of a diagram, or one line saying what went wrong.
struct ExportResult {
    /// The rendered diagram (text or binary bytes); empty on error.
    std::string data;
    /// One human-readable line naming the problem; empty on success.
    std::string error;

    /// True when the export succeeded.
    bool ok() const { return error.empty(); }
    /// A successful result holding `bytes`.
    static ExportResult success(std::string bytes) { return {std::move(bytes), {}}; }
    /// A failed result with a one-line message.
    static ExportResult failure(std::string message) { return {{}, std::move(message)}; }
};

} // namespace canopy::exporting
