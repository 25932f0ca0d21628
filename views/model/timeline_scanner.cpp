#include "views/model/timeline_scanner.h"
#include "introspection/session.h"
#include "views/model/timeline_accumulator.h"
#include "views/model/timeline_index_reader.h"
#include <algorithm>
#include <chrono>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace canopy::views {

TimelineScanner::TimelineScanner(std::string path, Report report, std::int64_t stepNs)
    : m_path(std::move(path)), m_report(std::move(report)), m_stepNs(stepNs > 0 ? stepNs : 250'000'000) {
    m_thread = std::thread([this] { run(); });
}

TimelineScanner::~TimelineScanner() {
    m_cancel = true;
    if (m_thread.joinable()) m_thread.join();
}

void TimelineScanner::run() {
    // Background work: seeks, playing and the GUI go first (Linux: a thread has its own nice value).
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
    auto opened = introspection::Session::openFile(m_path);
    if (!opened) {
        m_finished = true;
        m_report(TimelineData{}, false, true, {opened.error()});
        return;
    }
    auto& session = **opened;
    const std::int64_t duration = session.durationNs();
    // The whole timeline at once from the index; the replay below only adds detail.
    TimelineData summary;
    if (auto* reader = session.reader()) summary = TimelineIndexReader::read(*reader);
    summary.durationNs = std::max(summary.durationNs, duration);
    if (m_cancel) return;
    m_report(summary, false, false, session.warnings());
    // Replayed up to `t`, then the index's summary of what lies after it.
    auto merged = [&](const TimelineData& replayed, std::int64_t t) {
        TimelineData out = replayed;
        out.live = false;
        out.durationNs = duration;
        auto p = std::upper_bound(summary.points.begin(), summary.points.end(), t,
                                  [](std::int64_t x, const TimelinePoint& q) { return x < q.tNs; });
        out.points.insert(out.points.end(), p, summary.points.end());
        auto m = std::upper_bound(summary.markers.begin(), summary.markers.end(), t,
                                  [](std::int64_t x, const TimelineMarker& q) { return x < q.tNs; });
        out.markers.insert(out.markers.end(), m, summary.markers.end());
        return out;
    };
    TimelineAccumulator acc(0);
    acc.setDuration(duration);
    auto lastReport = std::chrono::steady_clock::now();
    {
        auto changes = session.seek(0);
        const auto& tree = session.model().snapshot();
        acc.addPoint(0, tree.processes.size(), tree.totalMailbox, true);
    }
    for (std::int64_t t = m_stepNs; !m_cancel; t += m_stepNs) {
        const std::int64_t target = t < duration ? t : duration;
        auto changes = session.advanceTo(target);
        const auto& tree = session.model().snapshot();
        acc.addChanges(changes, tree);
        acc.addState(session.state(), target);
        acc.addPoint(target, tree.processes.size(), tree.totalMailbox, true);
        const bool done = target >= duration;
        const auto now = std::chrono::steady_clock::now();
        if (done) {
            TimelineData all = acc.data();
            all.live = false;
            all.durationNs = duration;
            m_report(std::move(all), true, true, session.warnings());
            break;
        }
        if (now - lastReport > std::chrono::milliseconds(kRefineReportMs)) {
            m_report(merged(acc.data(), target), true, false, session.warnings());
            lastReport = now;
        }
    }
    m_finished = true;
}

} // namespace canopy::views
