#pragma once
#include <atomic>
#include <cstdint>

namespace canopy::demo {

/// Progress counters of the todo system, shared by its processes (relaxed atomics).
struct TodoStats {
    std::atomic<std::uint64_t> serverStarts{0};
    std::atomic<std::uint64_t> serverIdleStops{0};
    std::atomic<std::uint64_t> entriesAdded{0};
    std::atomic<std::uint64_t> entriesUpdated{0};
    std::atomic<std::uint64_t> entriesDeleted{0};
    std::atomic<std::uint64_t> reads{0};
    std::atomic<std::uint64_t> dbReads{0};
    std::atomic<std::uint64_t> dbWrites{0};
    std::atomic<std::uint64_t> failedRequests{0};
    std::atomic<std::uint64_t> registryStarts{0};
    std::atomic<std::uint64_t> dbWorkerStarts{0};
    std::atomic<std::uint64_t> cacheStarts{0};
};

} // namespace canopy::demo
