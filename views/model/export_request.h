#pragma once
#include "views/export/export_options.h"
#include <QString>
#include <cstdint>

namespace canopy::views {

/// Export the tree of one moment (the worker renders it through DiagramExporter, off the GUI thread).
struct ExportRequest {
    /// Format, annotations, page... exactly as `canopyctl export` takes them.
    exporting::ExportOptions options;
    /// Where to write the bytes.
    QString path;
    /// Session time to export (ns); negative = the moment shown now.
    std::int64_t atNs = -1;
};

} // namespace canopy::views
