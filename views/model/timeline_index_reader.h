#pragma once
#include "views/model/timeline_data.h"

namespace canopy::introspection {
class SessionReader;
}

namespace canopy::views {

/// Builds a file's whole timeline from its session index (one TimelineSummary per keyframe
/// interval and the list of give-ups) without replaying anything, so an hour-long file shows its
/// timeline at once: per interval a point at its start with the fewest processes and one in its
/// middle with the most (the decimated plot keeps both extremes; the mailbox series carries the
/// interval's largest total), markers at the first and last abnormal exit and at the end of an
/// interval with restarts (labels count them), and one marker per give-up at its time. The last
/// point lies at the session's end. Files without a timeline in their index make the reader scan
/// once (SessionReader::timeline()). Plain C++.
class TimelineIndexReader {
public:
    /// The timeline of `reader`'s file in session time (ns since its start); `durationNs` and
    /// `live = false` set.
    static TimelineData read(introspection::SessionReader& reader);
};

} // namespace canopy::views
