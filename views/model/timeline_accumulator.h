#pragma once
#include "introspection/change_set.h"
#include "introspection/session_state.h"
#include "introspection/tree_snapshot.h"
#include "views/model/timeline_data.h"
#include <cstdint>
#include <string>
#include <unordered_map>

namespace canopy::views {

/// Turns a session's change sets into timeline data: a totals point at most every `pointIntervalNs`,
/// a marker per restart, abnormal exit, give-up and resync. Used for live sessions (fed as batches
/// are cut) and for files (fed by the TimelineScanner). Markers of one kind beyond `kMaxMarkers`
/// are counted, not kept (give-ups and resyncs are always kept). Plain C++.
class TimelineAccumulator {
public:
    /// Restart and abnormal-exit markers kept at most (a one-hour session under chaos has millions).
    static constexpr std::size_t kMaxMarkers = 20000;

    explicit TimelineAccumulator(std::int64_t pointIntervalNs = 100'000'000) : m_pointIntervalNs(pointIntervalNs) {}

    /// Adds the markers of one change set; `tree` is the model after it (names of supervisors).
    void addChanges(const introspection::ChangeSet& changes, const introspection::TreeSnapshot& tree);
    /// Adds a resync marker when `state` counts more resyncs than seen so far.
    void addState(const introspection::SessionState& state, std::int64_t timeNs);
    /// Adds a totals point (skipped when the last one is younger than the point interval, unless
    /// `force`), and extends the duration.
    void addPoint(std::int64_t timeNs, std::uint64_t processCount, std::int64_t totalMailbox, bool force = false);
    /// Extends the duration (newest session time known).
    void setDuration(std::int64_t durationNs);
    /// Drops what lies before `timeNs` (the live recording no longer reaches it).
    void dropBefore(std::int64_t timeNs);

    /// Everything so far.
    const TimelineData& data() const { return m_data; }
    TimelineData& data() { return m_data; }
    /// What was added since the last takeIncrement() (points, markers, duration), for appendData().
    TimelineData takeIncrement();
    /// True when something was added since the last takeIncrement().
    bool dirty() const { return m_dirty; }
    /// Markers not kept because of kMaxMarkers.
    std::uint64_t droppedMarkers() const { return m_droppedMarkers; }
    /// True for an exit reason that is not `normal`, `shutdown` or `{shutdown,...}`.
    static bool isAbnormal(const std::string& reason);

private:
    void mark(TimelineMarker marker);
    std::string nameOf(std::uint64_t pid, const introspection::TreeSnapshot& tree) const;

    std::int64_t m_pointIntervalNs;
    TimelineData m_data;
    std::size_t m_pointsTaken = 0;
    std::size_t m_markersTaken = 0;
    std::int64_t m_durationTaken = -1;
    bool m_dirty = false;
    std::uint64_t m_resyncs = 0;
    std::size_t m_minorMarkers = 0;
    std::uint64_t m_droppedMarkers = 0;
    std::unordered_map<std::uint64_t, std::string> m_names;
};

} // namespace canopy::views
