#include "views/model/timeline_scanner.h"
#include "introspection/session.h"
#include "views/model/timeline_accumulator.h"
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
        m_report(TimelineData{}, true, true);
        return;
    }
    auto& session = **opened;
    const std::int64_t duration = session.durationNs();
    TimelineAccumulator acc(0);
    acc.setDuration(duration);
    bool first = true;
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
        if (done || now - lastReport > std::chrono::milliseconds(300)) {
            auto increment = acc.takeIncrement();
            increment.durationNs = duration;
            m_report(std::move(increment), first, done);
            first = false;
            lastReport = now;
        }
        if (done) break;
    }
    m_finished = true;
}

} // namespace canopy::views
