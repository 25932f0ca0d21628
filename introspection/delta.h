#pragma once
#include "introspection/delta_type.h"
#include "introspection/process_record.h"
#include <cstdint>
#include <optional>
#include <string>

namespace canopy::introspection {

/// One structural change, numbered. Sequence numbers are consecutive per connection (and per
/// session file); a gap means something was lost and the receiver needs a keyframe.
struct Delta {
    std::uint64_t seq = 0;
    /// Probe clock (monotonic ns) when it happened.
    std::int64_t timeNs = 0;
    DeltaType type = DeltaType::Spawn;
    /// The subject process (the child for supervisor reports; the supervisor for SupervisorGaveUp).
    std::uint64_t pid = 0;
    /// The other party: parent (Spawn), link/monitor peer, or the supervisor (child reports).
    std::uint64_t peer = 0;
    /// Initial call, registered name, or child id.
    std::string text;
    /// Exit reason in printed form (Exit, ChildTerminated, StartError, ShutdownError, SupervisorGaveUp).
    std::string reason;
    /// Supervisor reports: the strategy, restarts in the current window, and the limit.
    std::string strategy;
    int restartsInWindow = 0;
    int maxRestarts = 0;
    int maxSeconds = 0;
    /// Optional full record of the new process (Spawn, ChildStarted, ChildRestarted) when known.
    std::optional<ProcessRecord> process;
};

} // namespace canopy::introspection
