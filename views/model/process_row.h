#pragma once
#include "introspection/process_record.h"
#include <cstdint>

namespace canopy::views {

/// One process as the GUI thread keeps it: the record last posted by the worker, plus what the
/// table derives from successive records (message rate).
struct ProcessRow {
    introspection::ProcessRecord record;
    /// Messages handled per second, from the last two changes of the handled counter.
    double messageRate = 0.0;
    /// Session time at which `record.messagesHandled` last changed (ns), and when the row appeared.
    std::int64_t handledTimeNs = 0;
    std::int64_t firstSeenNs = 0;
};

} // namespace canopy::views
