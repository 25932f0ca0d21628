#pragma once
// Turns what the session worker has into TimelineData (plain C++, runs on the worker thread).
#include "introspection/session_index.h"
#include "views/model/change_batch.h"
#include "views/model/timeline_data.h"
#include <cstdint>
#include <string_view>

namespace canopy::views {

/// Builds timeline data from a session file's index (no frame decoded) and from live change batches.
class TimelineBuilder {
public:
    /// A replay timeline from a file's index: for each keyframe interval two points (its fewest
    /// processes at the start, its most at the middle, both with the interval's largest mailbox
    /// total), so the plot shows the range the interval went through; exact give-up markers (the
    /// index lists them); per interval with crashes one abnormal-exit marker at its first and one at
    /// its last abnormal exit, and one restart marker, labelled with the interval's counts.
    /// `startNs` is the session's start (SessionHeader::startNs), `durationNs` its length.
    static TimelineData fromIndex(const introspection::SessionIndex& index, std::int64_t startNs, std::int64_t durationNs);

    /// Live: the point and the markers one batch adds (restarts, abnormal exits, give-ups, and a
    /// resync marker when the state's resync count grew). Feed every batch in order; hand the result
    /// to TimelineWidget::appendData. Replay batches (seeks, playback) add nothing: they report the
    /// difference to the tree shown before, not events.
    TimelineData apply(const ChangeBatch& batch);

    /// OTP's abnormal exit: any reason but normal, shutdown and {shutdown, _} (and not "", unknown).
    static bool isAbnormal(std::string_view reason);

private:
    std::uint64_t m_resyncs = 0;
};

} // namespace canopy::views
