// TimerWheel: the per-worker timing wheel behind threaded-mode timers.
#include "runtime/timer_wheel.h"
#include <QtTest>
#include <algorithm>
#include <random>

using namespace canopy;

namespace {
constexpr std::int64_t Ms = 1'000'000;

/// A message carrying the deadline it was scheduled for.
struct Stamp {
    std::int64_t deadlineMs;
};

MessageNode* stamp(std::int64_t ms) { return Message::of(Stamp{ms}).release(); }

/// Collects what is due at nowMs as deadlines (ms), deleting the messages.
std::vector<std::int64_t> due(TimerWheel& w, std::int64_t nowMs) {
    std::vector<TimerWheel::Due> out;
    w.collectDue(nowMs * Ms, out);
    std::vector<std::int64_t> got;
    for (auto& d : out) {
        Message m(d.msg);
        got.push_back(m.as<Stamp>().deadlineMs);
    }
    return got;
}
} // namespace

class TestTimerWheel : public QObject {
    Q_OBJECT
private slots:
    void firesAtItsMillisecondNotBefore() {
        TimerWheel w;
        const std::int64_t t0 = 5'000;
        w.add(t0 * Ms, (t0 + 10) * Ms, {}, stamp(t0 + 10));
        w.add(t0 * Ms, (t0 + 3) * Ms + 1, {}, stamp(t0 + 4)); // 3 ms + 1 ns rounds up to 4 ms
        QCOMPARE(w.pending(), std::size_t(2));
        QCOMPARE(w.nextEventNs(), (t0 + 4) * Ms);
        QVERIFY(due(w, t0 + 3).empty());
        QCOMPARE(due(w, t0 + 4), std::vector<std::int64_t>{t0 + 4});
        QVERIFY(due(w, t0 + 9).empty());
        QCOMPARE(due(w, t0 + 10), std::vector<std::int64_t>{t0 + 10});
        QCOMPARE(w.pending(), std::size_t(0));
        QCOMPARE(w.nextEventNs(), TimerWheel::Never);
    }
    void everyLevelFiresInDeadlineOrder() {
        // Deadlines on every level (1 ms .. 2 days), added in random order, collected in jumps.
        TimerWheel w;
        const std::int64_t t0 = 123'456;
        std::vector<std::int64_t> offsets = {1, 2, 255, 256, 257, 1'000, 16'383, 16'384, 16'385, 65'000,
                                             1'048'575, 1'048'576, 3'600'000, 67'108'863, 67'108'864, 172'800'000};
        std::vector<std::int64_t> order = offsets;
        std::shuffle(order.begin(), order.end(), std::mt19937(7));
        for (std::int64_t off : order) w.add(t0 * Ms, (t0 + off) * Ms, {}, stamp(t0 + off));
        std::vector<std::int64_t> fired;
        std::int64_t now = t0;
        for (std::int64_t step : {0LL, 1LL, 300LL, 20'000LL, 2'000'000LL, 100'000'000LL, 200'000'000LL}) {
            now = t0 + step;
            for (std::int64_t d : due(w, now)) {
                QVERIFY2(d <= now, "fired before its deadline");
                fired.push_back(d);
            }
        }
        std::vector<std::int64_t> expected;
        for (std::int64_t off : offsets) expected.push_back(t0 + off);
        QCOMPARE(fired, expected);
    }
    void eachDeadlineFiresAtItsOwnTickWhenStepped() {
        TimerWheel w;
        const std::int64_t t0 = 1'000;
        for (std::int64_t off : {300, 700, 16'500, 40'000}) w.add(t0 * Ms, (t0 + off) * Ms, {}, stamp(t0 + off));
        std::vector<std::int64_t> fired;
        for (std::int64_t t = t0; t <= t0 + 40'000; ++t)
            for (std::int64_t d : due(w, t)) {
                QCOMPARE(d, t); // exactly on time when the clock moves one ms at a time
                fired.push_back(d);
            }
        QCOMPARE(fired.size(), std::size_t(4));
    }
    void cancelRemovesAndReportsOnce() {
        TimerWheel w;
        const std::uint64_t a = w.add(0, 50 * Ms, {}, stamp(50));
        const std::uint64_t b = w.add(0, 60'000 * Ms, {}, stamp(60'000));
        w.add(0, 70 * Ms, {}, stamp(70));
        QVERIFY(w.cancel(a));
        QVERIFY(!w.cancel(a));
        QVERIFY(w.cancel(b));
        QCOMPARE(w.nextEventNs(), 70 * Ms);
        QCOMPARE(due(w, 100'000), std::vector<std::int64_t>{70});
        QVERIFY(!w.cancel(12345));
    }
    void pastDeadlinesFireOnTheNextCollect() {
        TimerWheel w;
        QVERIFY(due(w, 10'000).empty());
        w.add(10'000 * Ms, 9'000 * Ms, {}, stamp(9'000));
        QCOMPARE(due(w, 10'001), std::vector<std::int64_t>{9'000});
    }
};

QTEST_APPLESS_MAIN(TestTimerWheel)
#include "tst_timer_wheel.moc"
