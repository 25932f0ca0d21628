#pragma once
#include "views/model/timeline_data.h"
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace canopy::views {

/// Reads a whole session file on its own thread (its own Session over the file, so the replay
/// position is untouched) and reports its timeline: totals points and the markers of restarts,
/// abnormal exits, give-ups and resyncs, in increments as it goes (a one-hour file takes a while;
/// the timeline fills from the left). Runs at a lower priority (nice 10) so seeks and the GUI come
/// first. Stops early when destroyed.
class TimelineScanner {
public:
    /// Called on the scanner's thread with the next increment (`first` for the first one, which
    /// carries the duration); `done` on the last.
    using Report = std::function<void(TimelineData increment, bool first, bool done)>;

    /// Starts scanning `path` at once, sampling totals every `stepNs` of session time.
    TimelineScanner(std::string path, Report report, std::int64_t stepNs = 250'000'000);
    TimelineScanner(const TimelineScanner&) = delete;
    TimelineScanner& operator=(const TimelineScanner&) = delete;
    /// Cancels and joins.
    ~TimelineScanner();

    /// True once the whole file has been scanned (or the scan failed).
    bool finished() const { return m_finished.load(); }

private:
    void run();

    std::string m_path;
    Report m_report;
    std::int64_t m_stepNs;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_finished{false};
    std::thread m_thread;
};

} // namespace canopy::views
