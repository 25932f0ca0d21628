#include "views/model/timeline_builder.h"
#include "introspection/pid_text.h"
#include <algorithm>
#include <string>

namespace canopy::views {

namespace {

std::string clock(std::int64_t ns) {
    const std::int64_t s = std::max<std::int64_t>(ns, 0) / 1'000'000'000;
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
    return buf;
}

std::string counted(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

const introspection::ProcessRecord* recordOf(const ChangeBatch& batch, std::uint64_t pid) {
    for (const auto& r : batch.records)
        if (r.pid == pid) return &r;
    for (const auto& e : batch.changes.exited)
        if (e.record.pid == pid) return &e.record;
    return nullptr;
}

std::string nameOf(const ChangeBatch& batch, std::uint64_t pid) {
    if (const auto* r = recordOf(batch, pid)) {
        const std::string& name = r->displayName();
        if (!name.empty()) return name;
    }
    return introspection::pidText(pid);
}

} // namespace

bool TimelineBuilder::isAbnormal(std::string_view reason) {
    if (reason.empty() || reason == "normal" || reason == "shutdown") return false;
    return reason.substr(0, 10) != "{shutdown,";
}

TimelineData TimelineBuilder::fromIndex(const introspection::SessionIndex& index, std::int64_t startNs,
                                        std::int64_t durationNs) {
    TimelineData d;
    d.points.reserve(index.timeline.size() * 2);
    for (const auto& s : index.timeline) {
        const std::int64_t t0 = s.startNs - startNs;
        const std::int64_t t1 = s.endNs - startNs;
        d.appendPoint({t0, s.minProcesses, s.maxTotalMailbox});
        if (t1 > t0) d.appendPoint({t0 + (t1 - t0) / 2, s.maxProcesses, s.maxTotalMailbox});
        const std::string span = clock(t0) + "-" + clock(t1);
        if (s.abnormalExits > 0 && s.firstAbnormalNs > 0) {
            const std::string label = counted(s.abnormalExits, "abnormal exit", "abnormal exits") + " in " + span;
            d.appendMarker({s.firstAbnormalNs - startNs, TimelineMarkerKind::AbnormalExit, label, 0, 0});
            if (s.lastAbnormalNs > s.firstAbnormalNs)
                d.appendMarker({s.lastAbnormalNs - startNs, TimelineMarkerKind::AbnormalExit, label, 0, 0});
        }
        if (s.restarts > 0) {
            const std::int64_t at = s.firstAbnormalNs > 0 ? s.firstAbnormalNs - startNs : t0;
            d.appendMarker({at, TimelineMarkerKind::Restart, counted(s.restarts, "restart", "restarts") + " in " + span, 0, 0});
        }
    }
    for (const auto& g : index.giveUps) {
        std::string label = introspection::pidText(g.supervisor) + " gave up";
        if (!g.childId.empty()) label += " (child " + g.childId + ")";
        if (!g.reason.empty()) label += ": " + g.reason;
        d.appendMarker({g.timeNs - startNs, TimelineMarkerKind::GiveUp, label, 0, g.supervisor});
    }
    d.durationNs = std::max(d.durationNs, durationNs);
    d.live = false;
    return d;
}

TimelineData TimelineBuilder::apply(const ChangeBatch& batch) {
    TimelineData d;
    d.live = !batch.replay;
    // Seeks and playback report differences to the tree shown before, not events: they add nothing.
    if (batch.replay) return d;
    const auto& c = batch.changes;
    for (const auto& r : c.restarted) {
        std::string label = (r.childId.empty() ? nameOf(batch, r.newPid) : r.childId) + " restarted";
        if (r.oldPid) label += ": " + introspection::pidText(r.oldPid) + " -> " + introspection::pidText(r.newPid);
        if (!r.reason.empty()) label += " (" + r.reason + ")";
        d.appendMarker({r.timeNs, TimelineMarkerKind::Restart, label, r.newPid, r.supervisor});
    }
    for (const auto& e : c.exited) {
        if (!isAbnormal(e.reason)) continue;
        const std::string label = e.record.displayName() + " " + e.record.pidText + " exited: " + e.reason;
        d.appendMarker({e.timeNs, TimelineMarkerKind::AbnormalExit, label, e.record.pid, e.record.parent});
    }
    for (const auto& g : c.gaveUp) {
        std::string label = nameOf(batch, g.supervisor) + " gave up";
        if (!g.childId.empty()) label += " (child " + g.childId + ")";
        if (!g.reason.empty()) label += ": " + g.reason;
        d.appendMarker({g.timeNs, TimelineMarkerKind::GiveUp, label, 0, g.supervisor});
    }
    if (batch.state.resyncs > m_resyncs) {
        std::string label = "resync";
        if (!batch.state.reason.empty()) label += ": " + batch.state.reason;
        if (batch.state.drops) label += " (" + std::to_string(batch.state.drops) + " dropped so far)";
        d.appendMarker({batch.timeNs, TimelineMarkerKind::Resync, label, 0, 0});
        m_resyncs = batch.state.resyncs;
    }
    d.appendPoint({batch.timeNs, batch.processCount, batch.totalMailbox});
    d.durationNs = std::max(d.durationNs, batch.durationNs);
    return d;
}

} // namespace canopy::views
