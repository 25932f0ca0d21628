#pragma once
#include "introspection/give_up_event.h"
#include "introspection/timeline_summary.h"
#include <cstdint>
#include <vector>

namespace canopy::introspection {

/// One keyframe's position in a session file.
struct IndexEntry {
    /// Probe clock (monotonic ns) of the keyframe.
    std::int64_t timeNs = 0;
    /// Byte offset of the keyframe's frame header from the start of the file.
    std::uint64_t offset = 0;
    /// The keyframe's seq.
    std::uint64_t seq = 0;
};

/// Last frame of a cleanly closed session file: where the keyframes are, plus totals.
struct SessionIndex {
    /// Keyframes in time order.
    std::vector<IndexEntry> entries;
    /// Probe clock of the last event written.
    std::int64_t endNs = 0;
    std::uint64_t frames = 0;
    std::uint64_t deltas = 0;
    std::uint64_t samples = 0;
    /// One summary per keyframe interval, in time order (absent in files written before the
    /// timeline existed: SessionReader then computes it by a scan).
    std::vector<TimelineSummary> timeline;
    /// Every supervisor give-up in the session, in time order.
    std::vector<GiveUpEvent> giveUps;
};

} // namespace canopy::introspection
