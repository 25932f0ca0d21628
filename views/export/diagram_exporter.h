#pragma once
#include "introspection/tree_snapshot.h"
#include "views/export/export_options.h"
#include "views/export/export_result.h"

namespace canopy::exporting {

/// The one entry point for exports (canopyctl export and the GUI's Export menu): snapshot +
/// options -> the bytes of the diagram in the chosen format, or one line saying what went wrong.
class DiagramExporter {
public:
    /// With layout `auto`, trees of more drawn nodes than this use the box layout instead of dot
    /// (dot's crossing minimisation takes minutes on thousands of nodes).
    static constexpr std::size_t kDotNodeLimit = 400;

    /// Renders `snapshot` as `options.format`. Deterministic for text formats. Never throws.
    static ExportResult exportSnapshot(const introspection::TreeSnapshot& snapshot, const ExportOptions& options);
};

} // namespace canopy::exporting
