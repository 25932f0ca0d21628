#pragma once
#include "runtime/process_status.h"
#include <cstdint>

namespace canopy {

/// The per-process counters a sampler needs, as Runtime::forEachProcessCounters reads them: relaxed
/// atomic loads only, no lock of the process, no reference taken.
struct ProcessCounters {
    std::uint64_t pid = 0;
    std::int64_t mailboxLength = 0;
    std::uint64_t messagesHandled = 0;
    ProcessStatus status = ProcessStatus::Waiting;
};

} // namespace canopy
