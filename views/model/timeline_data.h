#pragma once
// The timeline's input (plain C++, no Qt): totals sampled over session time and the markers of
// notable events. The session worker prepares it (from a file's timeline summaries or from live
// change batches); the TimelineWidget only draws it.
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::views {

/// Totals of the tree at one moment.
struct TimelinePoint {
    /// Session time (ns since the session's start).
    std::int64_t tNs = 0;
    /// Live processes.
    std::uint64_t processCount = 0;
    /// Sum of all mailbox lengths.
    std::int64_t totalMailbox = 0;
};

/// What a timeline marker stands for.
enum class TimelineMarkerKind {
    Restart,      ///< a supervisor restarted a child
    AbnormalExit, ///< a process exited with a reason other than normal / shutdown
    GiveUp,       ///< a supervisor reached its restart intensity and gave up (the crash users look for)
    Resync,       ///< the viewer lost events and repaired its tree from a keyframe
};

/// One notable event on the timeline.
struct TimelineMarker {
    /// Session time of the event.
    std::int64_t tNs = 0;
    TimelineMarkerKind kind = TimelineMarkerKind::Restart;
    /// One line for the tooltip, e.g. `Todo.Cache restarted: killed` or `resync: queue_overflow (12 dropped)`.
    std::string label;
    /// The process concerned (the restarted child's new pid, the exiting process); 0 when none.
    std::uint64_t pid = 0;
    /// The supervisor concerned (restarts, give-ups); 0 when none.
    std::uint64_t supervisor = 0;
};

/// Min/max of both series over one pixel column (what a decimated plot draws).
struct TimelineColumn {
    /// False when no point falls into the column (the plot carries the previous value over).
    bool filled = false;
    std::uint64_t minCount = 0;
    std::uint64_t maxCount = 0;
    std::int64_t minMailbox = 0;
    std::int64_t maxMailbox = 0;
    /// The last point's values in the column (what a line through column ends joins).
    std::uint64_t lastCount = 0;
    std::int64_t lastMailbox = 0;
};

/// Everything a timeline shows. Points and markers are kept sorted by time; appending in time
/// order is O(1) amortised (live sessions), anything else is inserted in place.
struct TimelineData {
    /// Totals over time, sorted by tNs.
    std::vector<TimelinePoint> points;
    /// Notable events, sorted by tNs.
    std::vector<TimelineMarker> markers;
    /// Length of the session (file) or session time of the newest message (live).
    std::int64_t durationNs = 0;
    /// True for a live session (the right edge grows; the widget offers "back to live").
    bool live = false;

    /// Adds a point (a point at the same time as the last one replaces it) and extends durationNs.
    void appendPoint(const TimelinePoint& point);
    /// Adds a marker in time order and extends durationNs.
    void appendMarker(TimelineMarker marker);
    /// Appends everything in `later` (points, markers, a longer duration); `live` stays as it is.
    void append(const TimelineData& later);
    /// Drops points and markers before `tNs` (a bounded live buffer).
    void dropBefore(std::int64_t tNs);

    /// Min/max of both series in `columns` equal slices of [t0Ns, t1Ns): one pass over the points
    /// in range (binary search for the start), so a one-hour session draws in time proportional to
    /// its points in view, and extremes are never lost.
    std::vector<TimelineColumn> decimate(std::int64_t t0Ns, std::int64_t t1Ns, int columns) const;
    /// Index of the last point at or before `tNs`, or -1.
    int pointAt(std::int64_t tNs) const;
    /// The first give-up or abnormal-exit marker strictly after `tNs`, or nullptr.
    const TimelineMarker* nextCrash(std::int64_t tNs) const;
    /// The last give-up or abnormal-exit marker strictly before `tNs`, or nullptr.
    const TimelineMarker* previousCrash(std::int64_t tNs) const;
    /// Largest process count and total mailbox over all points (axis ranges).
    std::uint64_t maxProcessCount() const;
    std::int64_t maxTotalMailbox() const;
};

/// True for the marker kinds "next/previous crash" jumps between (give-ups and abnormal exits).
inline bool isCrash(TimelineMarkerKind kind) {
    return kind == TimelineMarkerKind::GiveUp || kind == TimelineMarkerKind::AbnormalExit;
}

} // namespace canopy::views
