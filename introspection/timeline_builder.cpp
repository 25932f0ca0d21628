#include "introspection/timeline_builder.h"
#include "introspection/exit_reasons.h"
#include <algorithm>

namespace canopy::introspection {

void TimelineBuilder::open(std::int64_t timeNs) {
    if (m_open) m_done.push_back(m_current);
    m_current = TimelineSummary{};
    m_current.startNs = m_current.endNs = timeNs;
    m_current.minProcesses = m_current.maxProcesses = m_live.size();
    m_open = true;
}

void TimelineBuilder::extend(std::int64_t timeNs) {
    if (!m_open) open(timeNs);
    m_current.endNs = std::max(m_current.endNs, timeNs);
}

void TimelineBuilder::count() {
    m_current.minProcesses = std::min<std::uint64_t>(m_current.minProcesses, m_live.size());
    m_current.maxProcesses = std::max<std::uint64_t>(m_current.maxProcesses, m_live.size());
}

void TimelineBuilder::add(const WireMessage& message) {
    if (auto* k = std::get_if<Keyframe>(&message)) addKeyframe(*k);
    else if (auto* d = std::get_if<Delta>(&message)) addDelta(*d);
    else if (auto* s = std::get_if<Sample>(&message)) addSample(*s);
}

void TimelineBuilder::addKeyframe(const Keyframe& keyframe, bool sameTree) {
    std::int64_t total = 0;
    if (!sameTree || m_live.size() != keyframe.processes.size()) {
        m_live.clear();
        m_live.reserve(keyframe.processes.size());
        for (const auto& r : keyframe.processes) m_live.insert(r.pid);
    }
    for (const auto& r : keyframe.processes) total += r.mailboxLength;
    open(keyframe.timeNs);
    m_current.maxTotalMailbox = total;
}

void TimelineBuilder::addDelta(const Delta& d) {
    extend(d.timeNs);
    ++m_current.deltas;
    switch (d.type) {
    case DeltaType::Spawn:
    case DeltaType::ChildStarted:
    case DeltaType::ChildRestarted:
        if (m_live.insert(d.pid).second) ++m_current.spawns;
        if (d.type == DeltaType::ChildRestarted) ++m_current.restarts;
        break;
    case DeltaType::Exit:
        m_live.erase(d.pid);
        ++m_current.exits;
        if (isAbnormalExit(d.reason)) {
            if (m_current.abnormalExits++ == 0) m_current.firstAbnormalNs = d.timeNs;
            m_current.lastAbnormalNs = std::max(m_current.lastAbnormalNs, d.timeNs);
        }
        break;
    case DeltaType::SupervisorGaveUp:
        ++m_current.giveUps;
        m_giveUps.push_back({d.timeNs, d.pid, d.text, d.reason});
        break;
    default:
        break;
    }
    count();
}

void TimelineBuilder::addSample(const Sample& s) {
    extend(s.timeNs);
    m_current.maxTotalMailbox = std::max(m_current.maxTotalMailbox, s.totalMailbox);
}

std::vector<TimelineSummary> TimelineBuilder::summaries() const {
    std::vector<TimelineSummary> out = m_done;
    if (m_open) out.push_back(m_current);
    return out;
}

void TimelineBuilder::fill(SessionIndex& index) const {
    // Incremental: closed intervals already there stay; a stale open one is replaced.
    index.timeline.resize(std::min(index.timeline.size(), m_done.size()));
    index.timeline.insert(index.timeline.end(), m_done.begin() + std::ptrdiff_t(index.timeline.size()), m_done.end());
    if (m_open) index.timeline.push_back(m_current);
    index.giveUps.resize(std::min(index.giveUps.size(), m_giveUps.size()));
    index.giveUps.insert(index.giveUps.end(), m_giveUps.begin() + std::ptrdiff_t(index.giveUps.size()), m_giveUps.end());
}

} // namespace canopy::introspection
