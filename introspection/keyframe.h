#pragma once
#include "introspection/child_slot_stats.h"
#include "introspection/process_record.h"
#include <cstdint>
#include <vector>

namespace canopy::introspection {

/// A full snapshot of every (subscribed) process. Deltas after it continue at `seq + 1`.
struct Keyframe {
    /// Sequence number of the last delta already reflected in this snapshot (0: none yet).
    std::uint64_t seq = 0;
    /// Probe clock (monotonic ns) when the snapshot was taken.
    std::int64_t timeNs = 0;
    std::vector<ProcessRecord> processes;
    /// Optional (session files): restart history of child slots, including slots with no live process.
    std::vector<ChildSlotStats> childSlots;
    /// Optional (protocol 1.1): child slots of static supervisors with no running process, as
    /// records with pid 0, parent = the supervisor, childId = the slot (see TreeSnapshot::ghosts).
    std::vector<ProcessRecord> ghosts;
};

} // namespace canopy::introspection
