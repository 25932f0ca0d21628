#pragma once
#include <atomic>
#include <cstdint>

namespace canopy::demo {

/// Progress counters of the streams system, shared by its processes (relaxed atomics).
struct StreamsStats {
    std::atomic<std::uint64_t> discoveryRuns{0};
    std::atomic<std::uint64_t> streamsStarted{0};
    std::atomic<std::uint64_t> itemsFetched{0};
    std::atomic<std::uint64_t> itemsProcessed{0};
    std::atomic<std::uint64_t> batchesProcessed{0};
    std::atomic<std::uint64_t> fetcherStarts{0};
    std::atomic<std::uint64_t> processorStarts{0};
    std::atomic<std::uint64_t> streamsRetired{0};
};

} // namespace canopy::demo
