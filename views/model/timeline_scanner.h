#pragma once
#include "views/model/timeline_data.h"
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace canopy::views {

/// Reports a session file's timeline from its own thread (its own Session over the file, so the
/// replay position is untouched). First, at once, the whole timeline from the file's index
/// (TimelineIndexReader: per keyframe interval min/max processes, largest total mailbox, restarts,
/// abnormal exits, give-ups), so an hour-long file is complete and usable without waiting. Then it
/// replays the file to refine it (totals every `stepNs`, a marker per restart, abnormal exit,
/// give-up and resync, with names): every report replaces the whole timeline, the replayed part
/// followed by the index's summary of the rest. Runs at a lower priority (nice 10) so seeks and the
/// GUI come first. Stops early when destroyed.
class TimelineScanner {
public:
    /// Called on the scanner's thread with the whole timeline known so far (it replaces the one
    /// before; each carries the duration); `refined` once the replay has begun to add its detail,
    /// `done` on the last. `warnings`: what the replay found wrong in the file so far (a corrupt
    /// frame anywhere in it), so a viewer can say so at once, not only when it plays that far.
    using Report = std::function<void(TimelineData timeline, bool refined, bool done, std::vector<std::string> warnings)>;

    /// Starts scanning `path` at once, sampling totals every `stepNs` of session time.
    TimelineScanner(std::string path, Report report, std::int64_t stepNs = 250'000'000);
    TimelineScanner(const TimelineScanner&) = delete;
    TimelineScanner& operator=(const TimelineScanner&) = delete;
    /// Cancels and joins.
    ~TimelineScanner();

    /// Time between refined reports while replaying.
    static constexpr int kRefineReportMs = 2000;

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
