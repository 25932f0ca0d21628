#include "views/model/timeline_index_reader.h"
#include "introspection/pid_text.h"
#include "introspection/session_reader.h"
#include <algorithm>
#include <string>

namespace canopy::views {

namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

TimelineData TimelineIndexReader::read(introspection::SessionReader& reader) {
    TimelineData data;
    data.live = false;
    const std::int64_t start = reader.startNs();
    const std::int64_t duration = reader.durationNs();
    auto sessionTime = [&](std::int64_t probeNs) { return std::clamp<std::int64_t>(probeNs - start, 0, duration); };
    const auto& summaries = reader.timeline();
    std::vector<TimelineMarker> markers;
    TimelinePoint last;
    for (const auto& s : summaries) {
        const std::int64_t t0 = sessionTime(s.startNs), t1 = std::max(t0, sessionTime(s.endNs));
        data.appendPoint({t0, s.minProcesses, s.maxTotalMailbox});
        if (t1 > t0) data.appendPoint({t0 + (t1 - t0) / 2, s.maxProcesses, s.maxTotalMailbox});
        last = {t1, s.maxProcesses, s.maxTotalMailbox};
        if (s.abnormalExits > 0) {
            TimelineMarker m;
            m.kind = TimelineMarkerKind::AbnormalExit;
            m.tNs = sessionTime(s.firstAbnormalNs ? s.firstAbnormalNs : s.startNs);
            m.label = s.abnormalExits == 1 ? std::string("abnormal exit")
                                           : plural(s.abnormalExits, "abnormal exit", "abnormal exits") + " (first)";
            markers.push_back(m);
            if (s.abnormalExits > 1 && s.lastAbnormalNs > s.firstAbnormalNs) {
                m.tNs = sessionTime(s.lastAbnormalNs);
                m.label = plural(s.abnormalExits, "abnormal exit", "abnormal exits") + " (last)";
                markers.push_back(m);
            }
        }
        if (s.restarts > 0) {
            TimelineMarker m;
            m.kind = TimelineMarkerKind::Restart;
            // The index does not say when within the interval: the first abnormal exit (what
            // restarts follow) when known, else the interval's start.
            m.tNs = sessionTime(s.firstAbnormalNs ? s.firstAbnormalNs : s.startNs);
            m.label = plural(s.restarts, "restart", "restarts") + " here";
            markers.push_back(m);
        }
    }
    for (const auto& g : reader.giveUps()) {
        TimelineMarker m;
        m.kind = TimelineMarkerKind::GiveUp;
        m.tNs = sessionTime(g.timeNs);
        m.pid = g.supervisor;
        m.supervisor = g.supervisor;
        m.label = introspection::pidText(g.supervisor) + " gave up" +
                  (g.childId.empty() ? std::string() : " (child " + g.childId + ")") +
                  (g.reason.empty() ? std::string() : ": " + g.reason);
        markers.push_back(std::move(m));
    }
    std::stable_sort(markers.begin(), markers.end(), [](const auto& a, const auto& b) { return a.tNs < b.tNs; });
    data.markers = std::move(markers);
    if (!summaries.empty()) {
        last.tNs = std::max(last.tNs, duration);
        data.appendPoint(last);
    }
    data.durationNs = std::max(data.durationNs, duration);
    return data;
}

} // namespace canopy::views
