#include "introspection/probe/counter_diff.h"
#include <QtTest>
#include <algorithm>
#include <map>
#include <random>
#include <vector>

using namespace canopy::introspection;

namespace {
struct Proc {
    std::uint64_t pid;
    std::int64_t mailbox;
    std::uint64_t handled;
};
/// One walk: what the diff reports, by pid.
std::map<std::uint64_t, CounterDiff::Change> walk(CounterDiff& d, const std::vector<Proc>& procs) {
    std::map<std::uint64_t, CounterDiff::Change> out;
    d.begin();
    CounterDiff::Change c;
    for (const Proc& p : procs)
        if (d.visit(p.pid, p.mailbox, p.handled, c)) out[p.pid] = c;
    d.end();
    return out;
}
} // namespace

/// The sampler's "what changed since the last walk", whatever order the table hands processes out in.
class TestCounterDiff : public QObject {
    Q_OBJECT
private slots:
    void departedProcessesKeepTheirLastHandledCount() {
        CounterDiff d;
        walk(d, {{1, 0, 5}, {2, 0, 7}, {3, 0, 11}});
        QCOMPARE(d.departedHandled(), std::uint64_t(0));
        walk(d, {{3, 0, 12}, {1, 0, 6}, {4, 0, 1}}); // 2 left (7 handled); order broken on purpose
        QCOMPARE(d.departedHandled(), std::uint64_t(7));
        walk(d, {});
        QCOMPARE(d.departedHandled(), std::uint64_t(12 + 6 + 1));
    }
    void firstWalkReportsOnlyNonZero() {
        CounterDiff d;
        auto r = walk(d, {{1, 0, 0}, {2, 3, 0}, {3, 0, 9}});
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(r[2].mailbox, std::int64_t(3));
        QCOMPARE(r[3].handled, std::uint64_t(9));
    }
    void stableOrderNeedsNoLookups() {
        CounterDiff d;
        std::vector<Proc> procs;
        for (std::uint64_t i = 1; i <= 1000; ++i) procs.push_back({i, 0, i});
        walk(d, procs);
        procs[500].mailbox = 4;
        procs[700].handled += 1;
        auto r = walk(d, procs);
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(r[501].mailbox, std::int64_t(4));
        QCOMPARE(r[501].handled, UINT64_MAX); // unchanged
        QCOMPARE(r[701].mailbox, std::int64_t(-1));
        QCOMPARE(r[701].handled, std::uint64_t(702));
        QCOMPARE(d.lastLookups(), std::uint64_t(0));
    }
    void exitsSpawnsAndReorderingKeepTheBaseline() {
        CounterDiff d;
        std::vector<Proc> procs;
        for (std::uint64_t i = 1; i <= 2000; ++i) procs.push_back({i, std::int64_t(i % 3), i * 2});
        walk(d, procs);
        // 300 exits in a row (more than a short scan ahead), 50 spawns, and a shuffled tail.
        procs.erase(procs.begin() + 100, procs.begin() + 400);
        for (std::uint64_t i = 0; i < 50; ++i) procs.insert(procs.begin() + 10 * i, Proc{5000 + i, 0, 0});
        procs.push_back({9000, 1, 0});
        std::mt19937 rng(7);
        std::shuffle(procs.end() - 500, procs.end(), rng);
        auto r = walk(d, procs);
        // Only the one new process with a non-zero counter: nothing old is reported as changed.
        QCOMPARE(r.size(), std::size_t(1));
        QVERIFY(r.count(9000));
        QVERIFY(d.lastLookups() > 0);
        // After the reordering, a later change is still seen against the right baseline.
        procs.back().mailbox = 7;
        r = walk(d, procs);
        QCOMPARE(r.size(), std::size_t(1));
        QCOMPARE(r[procs.back().pid].mailbox, std::int64_t(7));
    }
    void forgottenAfterAbsence() {
        CounterDiff d;
        walk(d, {{1, 5, 5}, {2, 0, 0}});
        walk(d, {{2, 0, 0}});
        auto r = walk(d, {{1, 5, 5}, {2, 0, 0}});
        QCOMPARE(r.size(), std::size_t(1)); // pid 1 came back: reported again (new)
        QCOMPARE(r[1].mailbox, std::int64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestCounterDiff)
#include "tst_counter_diff.moc"
