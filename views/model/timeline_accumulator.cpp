#include "views/model/timeline_accumulator.h"
#include <algorithm>

namespace canopy::views {

bool TimelineAccumulator::isAbnormal(const std::string& reason) {
    if (reason.empty() || reason == "normal" || reason == "shutdown") return false;
    return reason.rfind("{shutdown,", 0) != 0;
}

std::string TimelineAccumulator::nameOf(std::uint64_t pid, const introspection::TreeSnapshot& tree) const {
    if (const auto* r = tree.find(pid)) return r->displayName();
    if (auto it = m_names.find(pid); it != m_names.end()) return it->second;
    return "<0." + std::to_string(pid) + ".0>";
}

void TimelineAccumulator::mark(TimelineMarker marker) {
    const bool minor = marker.kind == TimelineMarkerKind::Restart || marker.kind == TimelineMarkerKind::AbnormalExit;
    if (minor) {
        if (m_minorMarkers >= kMaxMarkers) {
            ++m_droppedMarkers;
            return;
        }
        ++m_minorMarkers;
    }
    // Markers already handed out by takeIncrement() stay in place: a later one never sorts before them.
    if (m_markersTaken > 0 && marker.tNs < m_data.markers[m_markersTaken - 1].tNs)
        marker.tNs = m_data.markers[m_markersTaken - 1].tNs;
    m_data.appendMarker(std::move(marker));
    m_dirty = true;
}

void TimelineAccumulator::addChanges(const introspection::ChangeSet& c, const introspection::TreeSnapshot& tree) {
    // A reset is a fresh tree, not an event; the lists after it are (a first keyframe and the
    // deltas that came with it in one step).
    // Remember names of processes that go away, so markers after their exit can still name them.
    for (const auto& e : c.exited) {
        if (e.record.kind != "worker") m_names[e.record.pid] = e.record.displayName();
    }
    if (m_names.size() > 100000) m_names.clear();
    std::unordered_map<std::uint64_t, bool> restartedOld;
    for (const auto& r : c.restarted) {
        if (r.oldPid) restartedOld[r.oldPid] = true;
        TimelineMarker m;
        m.tNs = r.timeNs;
        m.kind = TimelineMarkerKind::Restart;
        m.pid = r.newPid;
        m.supervisor = r.supervisor;
        m.label = (r.childId.empty() ? nameOf(r.newPid, tree) : r.childId) + " restarted" +
                  (r.reason.empty() ? std::string() : ": " + r.reason);
        mark(std::move(m));
    }
    for (const auto& e : c.exited) {
        if (!isAbnormal(e.reason) || restartedOld.count(e.record.pid)) continue;
        TimelineMarker m;
        m.tNs = e.timeNs;
        m.kind = TimelineMarkerKind::AbnormalExit;
        m.pid = e.record.pid;
        m.supervisor = e.record.parent;
        m.label = e.record.displayName() + " exited: " + e.reason;
        mark(std::move(m));
    }
    for (const auto& g : c.gaveUp) {
        TimelineMarker m;
        m.tNs = g.timeNs;
        m.kind = TimelineMarkerKind::GiveUp;
        m.pid = g.supervisor;
        m.supervisor = g.supervisor;
        m.label = nameOf(g.supervisor, tree) + " gave up" + (g.childId.empty() ? std::string() : " (child " + g.childId + ")") +
                  (g.reason.empty() ? std::string() : ": " + g.reason);
        mark(std::move(m));
    }
    setDuration(c.timeNs);
}

void TimelineAccumulator::addState(const introspection::SessionState& state, std::int64_t timeNs) {
    if (state.resyncs <= m_resyncs) {
        m_resyncs = state.resyncs;
        return;
    }
    m_resyncs = state.resyncs;
    TimelineMarker m;
    m.tNs = timeNs;
    m.kind = TimelineMarkerKind::Resync;
    m.label = "resync: " + (state.reason.empty() ? std::string("keyframe") : state.reason) +
              (state.drops ? " (" + std::to_string(state.drops) + " dropped)" : std::string());
    mark(std::move(m));
}

void TimelineAccumulator::addPoint(std::int64_t timeNs, std::uint64_t processCount, std::int64_t totalMailbox, bool force) {
    if (!force && !m_data.points.empty() && timeNs - m_data.points.back().tNs < m_pointIntervalNs &&
        timeNs >= m_data.points.back().tNs) {
        setDuration(timeNs);
        return;
    }
    if (!m_data.points.empty() && timeNs < m_data.points.back().tNs) timeNs = m_data.points.back().tNs;
    m_data.appendPoint({timeNs, processCount, totalMailbox});
    m_dirty = true;
}

void TimelineAccumulator::setDuration(std::int64_t durationNs) {
    if (durationNs > m_data.durationNs) {
        m_data.durationNs = durationNs;
        m_dirty = true;
    }
}

void TimelineAccumulator::dropBefore(std::int64_t timeNs) {
    const std::size_t points = m_data.points.size(), markers = m_data.markers.size();
    m_data.dropBefore(timeNs);
    const std::size_t droppedPoints = points - m_data.points.size(), droppedMarkers = markers - m_data.markers.size();
    m_pointsTaken -= std::min(m_pointsTaken, droppedPoints);
    m_markersTaken -= std::min(m_markersTaken, droppedMarkers);
}

TimelineData TimelineAccumulator::takeIncrement() {
    TimelineData out;
    out.live = m_data.live;
    out.durationNs = m_data.durationNs;
    if (m_pointsTaken < m_data.points.size())
        out.points.assign(m_data.points.begin() + static_cast<std::ptrdiff_t>(m_pointsTaken), m_data.points.end());
    if (m_markersTaken < m_data.markers.size())
        out.markers.assign(m_data.markers.begin() + static_cast<std::ptrdiff_t>(m_markersTaken), m_data.markers.end());
    m_pointsTaken = m_data.points.size();
    m_markersTaken = m_data.markers.size();
    m_dirty = false;
    return out;
}

} // namespace canopy::views
