// TimelineData: ordered appends, decimation that keeps extremes, crash navigation, time texts.
#include "views/model/session_time_text.h"
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
};

QTEST_GUILESS_MAIN(TimelineDataTest)
#include "tst_timeline_data.moc"
