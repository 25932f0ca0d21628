// TimelineIndexReader (a file's whole timeline from its index, without a replay) and TimelineScanner
// (that timeline first, then the replay's refinement), against the checked-in sessions.
#include "introspection/session_reader.h"
#include "views/model/timeline_index_reader.h"
#include "views/model/timeline_scanner.h"
#include <QTest>
#include <algorithm>
#include <condition_variable>
#include <mutex>

using namespace canopy;
using views::TimelineData;
using views::TimelineMarkerKind;

namespace {

std::string sessionPath(const char* name) {
    return qgetenv("CANOPY_SOURCE_DIR").toStdString() + "/resources/sessions/" + name;
}

std::vector<std::int64_t> timesOf(const TimelineData& data, TimelineMarkerKind kind) {
    std::vector<std::int64_t> out;
    for (const auto& m : data.markers)
        if (m.kind == kind) out.push_back(m.tNs);
    return out;
}

/// Everything a TimelineScanner reported, in order.
struct Reports {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<TimelineData> timelines;
    std::vector<bool> refined;
    std::vector<std::string> warnings; ///< the last report's
    bool done = false;

    /// The scanner's callback: keeps every report.
    views::TimelineScanner::Report callback() {
        return [this](TimelineData t, bool isRefined, bool isDone, std::vector<std::string> found) {
            std::lock_guard lock(mutex);
            timelines.push_back(std::move(t));
            refined.push_back(isRefined);
            done = done || isDone;
            warnings = std::move(found);
            changed.notify_all();
        };
    }
};

} // namespace

class TstTimelineIndexReader : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(!qgetenv("CANOPY_SOURCE_DIR").isEmpty(), "run through ctest (CANOPY_SOURCE_DIR)"); }

    void wholeTimelineComesFromTheIndex() {
        introspection::SessionReader reader;
        QVERIFY(reader.open(sessionPath("streams-giveup.canopy")).ok());
        QVERIFY2(reader.timelineInIndex(), "the sample session should carry its timeline in the index");
        const TimelineData data = views::TimelineIndexReader::read(reader);
        QVERIFY(!data.live);
        QCOMPARE(data.durationNs, reader.durationNs());
        QVERIFY(data.points.size() >= 2);
        QCOMPARE(data.points.front().tNs, std::int64_t(0));
        QCOMPARE(data.points.back().tNs, reader.durationNs());
        QVERIFY(std::is_sorted(data.points.begin(), data.points.end(), [](auto& a, auto& b) { return a.tNs < b.tNs; }));
        QVERIFY(std::is_sorted(data.markers.begin(), data.markers.end(), [](auto& a, auto& b) { return a.tNs < b.tNs; }));
        // Every give-up of the index, at its session time, named as one; crashes to jump between.
        const auto giveUps = timesOf(data, TimelineMarkerKind::GiveUp);
        QCOMPARE(giveUps.size(), reader.giveUps().size());
        QVERIFY(!giveUps.empty());
        QCOMPARE(giveUps.front(), reader.giveUps().front().timeNs - reader.startNs());
        for (const auto& m : data.markers)
            if (m.kind == TimelineMarkerKind::GiveUp) QVERIFY2(m.label.find("gave up") != std::string::npos, m.label.c_str());
        QVERIFY(data.nextCrash(0) != nullptr);
        QVERIFY(data.previousCrash(data.durationNs) != nullptr);
        // Point extremes are the index's.
        std::uint64_t most = 0;
        for (const auto& s : reader.timeline()) most = std::max(most, s.maxProcesses);
        QCOMPARE(data.maxProcessCount(), most);
    }

    void indexCrashesMatchTheReplay() {
        // The index's first abnormal exits lie where the replay finds abnormal exits.
        introspection::SessionReader reader;
        QVERIFY(reader.open(sessionPath("streams-giveup.canopy")).ok());
        const TimelineData fromIndex = views::TimelineIndexReader::read(reader);
        Reports reports;
        {
            views::TimelineScanner scanner(sessionPath("streams-giveup.canopy"), reports.callback());
            std::unique_lock lock(reports.mutex);
            QVERIFY2(reports.changed.wait_for(lock, std::chrono::seconds(60), [&] { return reports.done; }),
                     "the scanner did not finish within 60 s");
        }
        QVERIFY(reports.timelines.size() >= 2);
        // First the index's timeline, complete; the last one is the replay's.
        QVERIFY(!reports.refined.front());
        QVERIFY(reports.refined.back());
        QCOMPARE(reports.timelines.front().points.back().tNs, reader.durationNs());
        QCOMPARE(reports.timelines.front().markers.size(), fromIndex.markers.size());
        const TimelineData& replayed = reports.timelines.back();
        QCOMPARE(replayed.durationNs, reader.durationNs());
        const auto replayedGiveUps = timesOf(replayed, TimelineMarkerKind::GiveUp);
        QCOMPARE(timesOf(fromIndex, TimelineMarkerKind::GiveUp).size(), replayedGiveUps.size());
        // The replay marks a crashed child that was restarted as a restart (at the restart's time, a
        // moment after the exit the index names).
        auto crashes = timesOf(replayed, TimelineMarkerKind::AbnormalExit);
        for (const auto t : timesOf(replayed, TimelineMarkerKind::Restart)) crashes.push_back(t);
        for (const auto t : replayedGiveUps) crashes.push_back(t);
        constexpr std::int64_t kRestartLagNs = 100'000'000;
        for (const auto t : timesOf(fromIndex, TimelineMarkerKind::AbnormalExit)) {
            const bool near = std::any_of(crashes.begin(), crashes.end(), [t](std::int64_t c) { return c >= t && c - t <= kRestartLagNs; });
            QVERIFY2(near, qPrintable(QStringLiteral("index marks an abnormal exit at %1 ns the replay does not").arg(t)));
        }
    }

    void replayReportsTheWarningsOfADamagedFile() {
        // A corrupt frame in the middle: the whole-file replay says so (with its byte offset) by the
        // time it is done; a sound file gives no warning.
        for (const char* name : {"todo-corrupt.canopy", "todo.canopy"}) {
            Reports reports;
            views::TimelineScanner scanner(sessionPath(name), reports.callback());
            std::unique_lock lock(reports.mutex);
            QVERIFY(reports.changed.wait_for(lock, std::chrono::seconds(60), [&] { return reports.done; }));
            if (std::string(name) == "todo.canopy") {
                QVERIFY(reports.warnings.empty());
                continue;
            }
            QVERIFY(!reports.warnings.empty());
            QVERIFY2(reports.warnings.front().find("byte offset 25808") != std::string::npos, reports.warnings.front().c_str());
        }
    }

    void unreadableFileGivesAnEmptyTimeline() {
        Reports reports;
        views::TimelineScanner scanner("/nonexistent/session.canopy", reports.callback());
        std::unique_lock lock(reports.mutex);
        QVERIFY(reports.changed.wait_for(lock, std::chrono::seconds(10), [&] { return reports.done; }));
        QCOMPARE(reports.timelines.size(), std::size_t(1));
        QVERIFY(reports.timelines.front().points.empty());
    }
};

QTEST_GUILESS_MAIN(TstTimelineIndexReader)
#include "tst_timeline_index_reader.moc"
