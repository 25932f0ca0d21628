#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace canopy::introspection {

/// Periodic measurements at the rate the viewer chose. Not sequence-numbered: samples may be
/// coalesced (latest wins) when a viewer falls behind.
struct Sample {
    /// Probe clock (monotonic ns).
    std::int64_t timeNs = 0;
    std::uint64_t processCount = 0;
    std::int64_t totalMailbox = 0;
    /// Messages handled per second over the runtime since the previous sample.
    double messageRate = 0.0;
    /// (pid, mailbox length) for processes whose length changed since the previous sample.
    std::vector<std::pair<std::uint64_t, std::int64_t>> mailboxes;
    /// (pid, messages handled so far) for processes whose count changed since the previous sample.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> handled;
};

} // namespace canopy::introspection
