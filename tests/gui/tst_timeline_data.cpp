// TimelineData: ordered appends, decimation that keeps extremes, crash navigation, time texts.
#include "views/model/session_time_text.h"
#include "views/model/timeline_builder.h"
#include "views/model/timeline_data.h"
#include <QtTest>

using namespace canopy::views;

namespace {
constexpr std::int64_t kS = 1'000'000'000;
}

class TimelineDataTest : public QObject {
    Q_OBJECT
private slots:
    void appendKeepsTimeOrder() {
        TimelineData d;
        d.appendPoint({2 * kS, 5, 0});
        d.appendPoint({4 * kS, 7, 0});
        d.appendPoint({3 * kS, 6, 0}); // late point: inserted in place
        d.appendPoint({4 * kS, 8, 1}); // same time as the last: replaces it
        QCOMPARE(d.points.size(), std::size_t(3));
        QCOMPARE(d.points[1].processCount, std::uint64_t(6));
        QCOMPARE(d.points[2].processCount, std::uint64_t(8));
        QCOMPARE(d.durationNs, 4 * kS);
        d.appendMarker({5 * kS, TimelineMarkerKind::Restart, "b", 0, 0});
        d.appendMarker({1 * kS, TimelineMarkerKind::GiveUp, "a", 0, 0});
        QCOMPARE(d.markers.front().label, std::string("a"));
        QCOMPARE(d.durationNs, 5 * kS);
    }

    void decimationKeepsExtremes() {
        TimelineData d;
        // 10,000 points over 100 s, flat at 50, with one-sample spikes that a naive
        // every-Nth-point decimation would drop.
        for (int i = 0; i < 10'000; ++i) d.appendPoint({i * (kS / 100), 50, 10});
        d.points[4321].processCount = 999;
        d.points[4322].totalMailbox = -1; // not realistic, but a minimum must survive too
        d.points[7777].processCount = 1;
        const auto cols = d.decimate(0, 100 * kS, 10);
        QCOMPARE(cols.size(), std::size_t(10));
        QVERIFY(cols[4].filled);
        QCOMPARE(cols[4].maxCount, std::uint64_t(999));
        QCOMPARE(cols[4].minMailbox, std::int64_t(-1));
        QCOMPARE(cols[7].minCount, std::uint64_t(1));
        QCOMPARE(cols[7].maxCount, std::uint64_t(50));
        QCOMPARE(cols[0].maxCount, std::uint64_t(50));
        QCOMPARE(cols[9].lastCount, std::uint64_t(50));
    }

    void decimationOfAPartialRange() {
        TimelineData d;
        for (int i = 0; i <= 100; ++i) d.appendPoint({i * kS, static_cast<std::uint64_t>(i), i});
        const auto cols = d.decimate(40 * kS, 60 * kS, 4); // 5 s per column
        QCOMPARE(cols[0].minCount, std::uint64_t(40));
        QCOMPARE(cols[0].maxCount, std::uint64_t(44));
        QCOMPARE(cols[3].maxCount, std::uint64_t(59)); // 60 s lies outside [40, 60)
        // Columns with no point stay empty.
        const auto sparse = d.decimate(40 * kS, 41 * kS, 8);
        QVERIFY(sparse[0].filled);
        QVERIFY(!sparse[1].filled);
    }

    void crashNavigationSkipsRestartsAndResyncs() {
        TimelineData d;
        d.appendMarker({1 * kS, TimelineMarkerKind::Restart, "", 0, 0});
        d.appendMarker({2 * kS, TimelineMarkerKind::AbnormalExit, "", 0, 0});
        d.appendMarker({3 * kS, TimelineMarkerKind::Resync, "", 0, 0});
        d.appendMarker({4 * kS, TimelineMarkerKind::GiveUp, "", 0, 0});
        QCOMPARE(d.nextCrash(0)->tNs, 2 * kS);
        QCOMPARE(d.nextCrash(2 * kS)->tNs, 4 * kS); // strictly after
        QVERIFY(d.nextCrash(4 * kS) == nullptr);
        QCOMPARE(d.previousCrash(4 * kS)->tNs, 2 * kS); // strictly before
        QVERIFY(d.previousCrash(2 * kS) == nullptr);
        QCOMPARE(d.pointAt(5 * kS), -1);
    }

    void dropBeforeBoundsALiveBuffer() {
        TimelineData d;
        for (int i = 0; i < 10; ++i) d.appendPoint({i * kS, 1, 0});
        d.appendMarker({2 * kS, TimelineMarkerKind::Restart, "", 0, 0});
        d.appendMarker({8 * kS, TimelineMarkerKind::Restart, "", 0, 0});
        d.dropBefore(5 * kS);
        QCOMPARE(d.points.front().tNs, 5 * kS);
        QCOMPARE(d.markers.size(), std::size_t(1));
    }

    void sessionTimeTexts() {
        QCOMPARE(sessionTimeText(0), QStringLiteral("00:00"));
        QCOMPARE(sessionTimeText(252 * kS + kS / 3), QStringLiteral("04:12"));
        QCOMPARE(sessionTimeText(3725 * kS), QStringLiteral("1:02:05"));
        QCOMPARE(sessionTimeTextPrecise(252 * kS + 300'000'000), QStringLiteral("04:12.3"));
        QCOMPARE(durationText(850'000'000), QStringLiteral("850 ms"));
        QCOMPARE(durationText(4'200'000'000), QStringLiteral("4.2 s"));
        QCOMPARE(durationText(200 * kS), QStringLiteral("3 min 20 s"));
    }

    void builderFromLiveBatches() {
        using namespace canopy::introspection;
        TimelineBuilder builder;
        ChangeBatch b;
        b.timeNs = 12 * kS;
        b.durationNs = 12 * kS;
        b.processCount = 40;
        b.totalMailbox = 7;
        ExitedProcess crash;
        crash.record.pid = 71;
        crash.record.pidText = "<0.71.0>";
        crash.record.parent = 12;
        crash.record.childId = "Streams.InfoFetcher";
        crash.reason = "timeout";
        crash.timeNs = 11 * kS;
        ExitedProcess fine = crash;
        fine.record.pid = 72;
        fine.reason = "normal";
        ExitedProcess stop = crash;
        stop.record.pid = 73;
        stop.reason = "{shutdown,app_stopping}";
        b.changes.exited = {crash, fine, stop};
        b.changes.restarted.push_back({12, "Streams.InfoFetcher", 71, 74, "timeout", 11 * kS + 1});
        b.changes.gaveUp.push_back({12, "Streams.InfoFetcher", "shutdown", 12 * kS});
        ProcessRecord sup;
        sup.pid = 12;
        sup.name = "Streams.Supervisor";
        b.records = {sup};
        TimelineData d = builder.apply(b);
        QVERIFY(d.live);
        QCOMPARE(d.points.size(), std::size_t(1));
        QCOMPARE(d.points[0].processCount, std::uint64_t(40));
        QCOMPARE(d.markers.size(), std::size_t(3)); // one abnormal exit (normal and {shutdown,_} are not), a restart, a give-up
        QCOMPARE(d.markers[0].kind, TimelineMarkerKind::AbnormalExit);
        QCOMPARE(d.markers[0].label, std::string("Streams.InfoFetcher <0.71.0> exited: timeout"));
        QCOMPARE(d.markers[1].kind, TimelineMarkerKind::Restart);
        QCOMPARE(d.markers[1].pid, std::uint64_t(74));
        QCOMPARE(d.markers[1].label, std::string("Streams.InfoFetcher restarted: <0.71.0> -> <0.74.0> (timeout)"));
        QCOMPARE(d.markers[2].kind, TimelineMarkerKind::GiveUp);
        QCOMPARE(d.markers[2].supervisor, std::uint64_t(12));
        QCOMPARE(d.markers[2].label, std::string("Streams.Supervisor gave up (child Streams.InfoFetcher): shutdown"));
        // A resync shows once, when the count grows.
        ChangeBatch r;
        r.timeNs = 20 * kS;
        r.state.resyncs = 1;
        r.state.reason = "queue_overflow";
        r.state.drops = 12;
        d = builder.apply(r);
        QCOMPARE(d.markers.size(), std::size_t(1));
        QCOMPARE(d.markers[0].label, std::string("resync: queue_overflow (12 dropped so far)"));
        QCOMPARE(builder.apply(r).markers.size(), std::size_t(0));
        // Replay batches add nothing.
        b.replay = true;
        d = builder.apply(b);
        QVERIFY(d.points.empty() && d.markers.empty());
        QVERIFY(TimelineBuilder::isAbnormal("killed"));
        QVERIFY(!TimelineBuilder::isAbnormal(""));
    }

    void builderFromAFileIndex() {
        using namespace canopy::introspection;
        SessionIndex index;
        const std::int64_t start = 1'000 * kS;
        TimelineSummary quiet;
        quiet.startNs = start;
        quiet.endNs = start + 10 * kS;
        quiet.minProcesses = 40;
        quiet.maxProcesses = 44;
        quiet.maxTotalMailbox = 3;
        TimelineSummary crashy = quiet;
        crashy.startNs = start + 10 * kS;
        crashy.endNs = start + 20 * kS;
        crashy.minProcesses = 20;
        crashy.abnormalExits = 4;
        crashy.restarts = 3;
        crashy.giveUps = 1;
        crashy.firstAbnormalNs = start + 12 * kS;
        crashy.lastAbnormalNs = start + 17 * kS;
        index.timeline = {quiet, crashy};
        index.giveUps.push_back({start + 17 * kS + 5'000'000, 30, "stream_7", "shutdown"});
        const TimelineData d = TimelineBuilder::fromIndex(index, start, 21 * kS);
        QVERIFY(!d.live);
        QCOMPARE(d.durationNs, 21 * kS);
        QCOMPARE(d.points.size(), std::size_t(4));
        QCOMPARE(d.points[0].tNs, std::int64_t(0));
        QCOMPARE(d.points[1].processCount, std::uint64_t(44)); // the interval's maximum, mid-interval
        QCOMPARE(d.points[2].processCount, std::uint64_t(20));
        const TimelineMarker* giveUp = d.nextCrash(17 * kS);
        QVERIFY(giveUp);
        QCOMPARE(giveUp->kind, TimelineMarkerKind::GiveUp);
        QCOMPARE(giveUp->tNs, 17 * kS + 5'000'000);
        QCOMPARE(giveUp->supervisor, std::uint64_t(30));
        QCOMPARE(d.nextCrash(0)->tNs, 12 * kS);
        QCOMPARE(d.nextCrash(0)->label, std::string("4 abnormal exits in 00:10-00:20"));
        int restarts = 0;
        for (const auto& m : d.markers) restarts += m.kind == TimelineMarkerKind::Restart;
        QCOMPARE(restarts, 1);
    }
};

QTEST_GUILESS_MAIN(TimelineDataTest)
#include "tst_timeline_data.moc"
