#pragma once
#include <cstdint>

namespace canopy::introspection {

/// What happened in one keyframe interval of a session file (from one keyframe to the next):
/// enough to draw a timeline strip and to find crashes without decoding the interval. Stored in
/// the session index (`timeline`), rebuilt by the recovery scan. Times are the probe clock.
struct TimelineSummary {
    /// First and last message time of the interval.
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    /// Fewest and most processes in the recorded tree during the interval.
    std::uint64_t minProcesses = 0;
    std::uint64_t maxProcesses = 0;
    /// Largest sum of mailbox lengths seen (keyframes and samples).
    std::int64_t maxTotalMailbox = 0;
    /// Structural events in the interval, and some of them by kind.
    std::uint64_t deltas = 0;
    std::uint64_t spawns = 0;
    std::uint64_t exits = 0;
    /// Exits whose reason is not normal, shutdown or {shutdown, _} (OTP's abnormal exits: crashes).
    std::uint64_t abnormalExits = 0;
    /// Children restarted by their supervisor.
    std::uint64_t restarts = 0;
    /// Supervisors that reached their restart intensity and gave up.
    std::uint64_t giveUps = 0;
    /// Time of the first and the last abnormal exit (0 when there was none).
    std::int64_t firstAbnormalNs = 0;
    std::int64_t lastAbnormalNs = 0;
};

} // namespace canopy::introspection
