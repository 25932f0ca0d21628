// The library pieces taken out of canopyctl: process paths (the one id scheme), SnapshotDiff,
// SessionSummary (crash extraction), and the child index of hand-filled snapshots.
#include "introspection/process_family.h"
#include "introspection/process_paths.h"
#include "introspection/session_summary.h"
#include "introspection/snapshot_diff.h"
#include "tests/introspection/sample_session.h"
#include <QtTest>

using namespace canopy::introspection;

namespace {
constexpr std::int64_t kStart = 1'000'000'000;

TreeSnapshot treeAt(std::size_t deltas) {
    SessionModel m;
    m.setStartNs(kStart);
    m.applyKeyframe(testing::sampleKeyframe(kStart));
    auto ds = testing::sampleDeltas(kStart);
    for (std::size_t i = 0; i < deltas && i < ds.size(); ++i) m.applyDelta(ds[i]);
    return m.snapshot();
}
} // namespace

class TestSnapshotDiff : public QObject {
    Q_OBJECT

private slots:
    void familyIsTheHerdKey() {
        ProcessRecord r;
        r.initialCall = "Todo.Server:init/1";
        QCOMPARE(familyOf(r), std::string("Todo.Server"));
        r.initialCall.clear();
        r.name = "worker_12";
        QCOMPARE(familyOf(r), std::string("worker"));
    }
    void pathsNumberRepeatsInSiblingOrder() {
        TreeSnapshot s = treeAt(0);
        auto paths = ProcessPaths::of(s);
        QCOMPARE(paths.at(1), std::string("app_sup"));
        QCOMPARE(paths.at(2), std::string("app_sup/registry"));
        // Two dynamic workers of one family: the first plain, the second numbered.
        QCOMPARE(paths.at(4), std::string("app_sup/workers/Worker"));
        QCOMPARE(paths.at(5), std::string("app_sup/workers/Worker#2"));
        // A restarted child keeps its path (same slot, same place).
        auto later = ProcessPaths::of(treeAt(10));
        QCOMPARE(later.at(8), std::string("app_sup/registry"));
    }
    void ghostSlotsTakePartInNumbering() {
        TreeSnapshot s;
        s.processes[1] = testing::rec(1, 0, "sup", "supervisor", "one_for_one");
        s.processes[3] = testing::rec(3, 1, "");
        s.processes[3].name = "cache";
        ProcessRecord ghost = testing::rec(0, 1, "cache");
        ghost.startOrder = 2;
        s.ghosts[1].push_back(ghost);
        const auto siblings = ProcessPaths::siblingsOf(s, 1);
        QCOMPARE(siblings.size(), std::size_t(2));
        QCOMPARE(siblings[0]->pid, std::uint64_t(0)); // the ghost's slot comes first (order 2 < 3)
        QCOMPARE(ProcessPaths::of(s).at(3), std::string("sup/cache#2"));
    }
    void diffWithinOneSession() {
        const auto d = SnapshotDiff::between(treeAt(0), treeAt(10), true);
        QCOMPARE(d.restarted.size(), std::size_t(1));
        QCOMPARE(d.restarted[0].path, std::string("app_sup/registry"));
        QCOMPARE(d.restarted[0].pidBefore, std::uint64_t(2));
        QCOMPARE(d.restarted[0].pidAfter, std::uint64_t(8));
        QCOMPARE(d.restarted[0].restartsAfter, 2);
        // Worker 4 retired and worker 7 started: removed + added, not a restart.
        QCOMPARE(d.removed.size(), std::size_t(1));
        QCOMPARE(d.removed[0].pid, std::uint64_t(4));
        QCOMPARE(d.added.size(), std::size_t(1));
        QCOMPARE(d.added[0].pid, std::uint64_t(7));
        QVERIFY(!d.structureUnchanged());
        QVERIFY(SnapshotDiff::between(treeAt(10), treeAt(10), true).structureUnchanged());
    }
    void diffAcrossSessionsMatchesByPath() {
        TreeSnapshot a = treeAt(0), b = treeAt(0);
        // Another run: other pids, same shape; one mailbox grew, the registry restarted once.
        TreeSnapshot other;
        for (const auto& [pid, r] : b.processes) {
            ProcessRecord c = r;
            c.pid = pid + 100;
            c.parent = r.parent ? r.parent + 100 : 0;
            other.processes[c.pid] = c;
        }
        other.processes[103].mailboxLength = 9;
        other.processes[102].restartCount = 1;
        const auto d = SnapshotDiff::between(a, other, false);
        QVERIFY(d.added.empty() && d.removed.empty());
        QCOMPARE(d.restarted.size(), std::size_t(1));
        QCOMPARE(d.mailbox.size(), std::size_t(1));
        QCOMPARE(d.mailbox[0].after, std::int64_t(9));
    }
    void summaryExtractsCrashes() {
        SessionSummary sum(kStart);
        sum.add(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) sum.add(d);
        sum.add(testing::delta(11, kStart + 5'000'000'000, DeltaType::SupervisorGaveUp, 1, 8, "registry",
                               "reached_max_restart_intensity"));
        QCOMPARE(sum.deltas, std::uint64_t(11));
        QCOMPARE(sum.restarts, std::uint64_t(2));
        QCOMPARE(sum.abnormalExits, std::uint64_t(2)); // "boom", "boom again"; "normal" is not a crash
        QCOMPARE(sum.giveUps, std::uint64_t(1));
        QCOMPARE(sum.crashes.size(), std::size_t(3));
        QCOMPARE(sum.crashes[0].who, std::string("<0.2.0> registry"));
        QCOMPARE(sum.crashes[0].timeNs, std::int64_t(1'000'000'000));
        QCOMPARE(sum.crashes[2].kind, SessionSummary::Crash::Kind::GaveUp);
        QVERIFY(sum.crashes[2].what.find("registry") != std::string::npos);
        QCOMPARE(sum.processesAtStart, std::uint64_t(5));
    }
    void handFilledSnapshotIndexesOnDemand() {
        TreeSnapshot s;
        s.processes[10] = testing::rec(10, 0, "root", "supervisor");
        s.processes[12] = testing::rec(12, 10, "b");
        s.processes[11] = testing::rec(11, 10, "a");
        QCOMPARE(s.childrenOf(10), (std::vector<std::uint64_t>{11, 12}));
        s.processes[13] = testing::rec(13, 10, "c"); // resized: rebuilt on the next question
        QCOMPARE(s.childrenOf(10), (std::vector<std::uint64_t>{11, 12, 13}));
        s.processes[13].parent = 12; // same size: the caller says so
        s.invalidateIndex();
        QCOMPARE(s.childrenOf(12), (std::vector<std::uint64_t>{13}));
        QCOMPARE(s.roots(), (std::vector<std::uint64_t>{10}));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotDiff)
#include "test_snapshot_diff.moc"
