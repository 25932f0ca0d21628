// TimelineAccumulator (markers and points from change sets, increments for a live timeline) and
// HistoryTracker (mailbox samples and slot events for the inspector), fed with hand-made change sets.
#include "views/model/history_tracker.h"
#include "views/model/timeline_accumulator.h"
#include <QTest>

using namespace canopy;
using introspection::ChangeSet;
using introspection::ProcessRecord;
using introspection::TreeSnapshot;
using views::HistoryTracker;
using views::SlotEvent;
using views::TimelineAccumulator;
using views::TimelineMarkerKind;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

ProcessRecord rec(std::uint64_t pid, std::uint64_t parent, std::string childId, std::string name = {}) {
    ProcessRecord r;
    r.pid = pid;
    r.pidText = "<0." + std::to_string(pid) + ".0>";
    r.parent = parent;
    r.childId = std::move(childId);
    r.name = std::move(name);
    return r;
}

introspection::ExitedProcess exited(ProcessRecord r, std::string reason, std::int64_t t) {
    introspection::ExitedProcess e;
    e.record = std::move(r);
    e.reason = std::move(reason);
    e.timeNs = t;
    return e;
}

TreeSnapshot tree(std::vector<ProcessRecord> records) {
    TreeSnapshot t;
    for (auto& r : records) t.processes[r.pid] = r;
    return t;
}

} // namespace

class TestTimelineAccumulator : public QObject {
    Q_OBJECT
private slots:
    void markersForRestartsAbnormalExitsGiveUpsAndResyncs() {
        TimelineAccumulator acc;
        auto sup = rec(1, 0, "", "Todo.Supervisor");
        sup.kind = "supervisor";
        auto t = tree({sup, rec(5, 1, "cache", "Todo.Cache")});
        ChangeSet c;
        c.exited.push_back(exited(rec(2, 1, "cache", "Todo.Cache"), "killed", 1 * kSecond));
        c.restarted.push_back({1, "cache", 2, 5, "killed", 1 * kSecond});
        c.exited.push_back(exited(rec(3, 1, "", "Todo.Server"), "normal", 2 * kSecond));
        c.exited.push_back(exited(rec(4, 1, "", "Todo.Server"), "{shutdown,stop}", 2 * kSecond));
        c.exited.push_back(exited(rec(6, 1, "", "Worker"), "chaos", 3 * kSecond));
        c.gaveUp.push_back({1, "cache", "shutdown", 4 * kSecond});
        c.timeNs = 4 * kSecond;
        acc.addChanges(c, t);
        const auto& m = acc.data().markers;
        // The restarted child's exit is the restart marker, not a second abnormal-exit marker.
        QCOMPARE(m.size(), 3u);
        QVERIFY(m[0].kind == TimelineMarkerKind::Restart);
        QCOMPARE(m[0].label, std::string("cache restarted: killed"));
        QCOMPARE(m[0].pid, 5u);
        QVERIFY(m[1].kind == TimelineMarkerKind::AbnormalExit);
        QCOMPARE(m[1].label, std::string("Worker exited: chaos"));
        QVERIFY(m[2].kind == TimelineMarkerKind::GiveUp);
        QCOMPARE(m[2].label, std::string("Todo.Supervisor gave up (child cache): shutdown"));
        QCOMPARE(acc.data().durationNs, 4 * kSecond);

        introspection::SessionState state;
        state.resyncs = 1;
        state.drops = 12;
        state.reason = "queue_overflow";
        acc.addState(state, 5 * kSecond);
        acc.addState(state, 6 * kSecond); // same count: no second marker
        QCOMPARE(acc.data().markers.size(), 4u);
        QCOMPARE(acc.data().markers.back().label, std::string("resync: queue_overflow (12 dropped)"));
        QVERIFY(acc.data().nextCrash(0) != nullptr);
    }

    void pointsAreThinnedAndIncrementsCarryOnlyWhatIsNew() {
        TimelineAccumulator acc(100'000'000);
        acc.addPoint(0, 10, 0);
        acc.addPoint(50'000'000, 11, 0);  // too soon: skipped
        acc.addPoint(150'000'000, 12, 3);
        QCOMPARE(acc.data().points.size(), 2u);
        auto first = acc.takeIncrement();
        QCOMPARE(first.points.size(), 2u);
        QVERIFY(!acc.dirty());
        acc.addPoint(400'000'000, 13, 1);
        auto second = acc.takeIncrement();
        QCOMPARE(second.points.size(), 1u);
        QCOMPARE(second.points[0].processCount, 13u);
        QCOMPARE(second.durationNs, 400'000'000);
        acc.dropBefore(300'000'000);
        QCOMPARE(acc.data().points.size(), 1u);
        acc.addPoint(600'000'000, 14, 1);
        QCOMPARE(acc.takeIncrement().points.size(), 1u);
    }

    void minorMarkersAreCappedButGiveUpsAreKept() {
        TimelineAccumulator acc;
        auto t = tree({});
        for (std::size_t i = 0; i < TimelineAccumulator::kMaxMarkers + 10; ++i) {
            ChangeSet c;
            c.exited.push_back(exited(rec(100 + i, 1, ""), "chaos", std::int64_t(i)));
            acc.addChanges(c, t);
        }
        ChangeSet g;
        g.gaveUp.push_back({1, "x", "shutdown", kSecond * 100});
        acc.addChanges(g, t);
        QCOMPARE(acc.data().markers.size(), TimelineAccumulator::kMaxMarkers + 1);
        QCOMPARE(acc.droppedMarkers(), 10u);
        QVERIFY(acc.data().markers.back().kind == TimelineMarkerKind::GiveUp);
    }

    void abnormalReasons() {
        QVERIFY(!TimelineAccumulator::isAbnormal("normal"));
        QVERIFY(!TimelineAccumulator::isAbnormal("shutdown"));
        QVERIFY(!TimelineAccumulator::isAbnormal("{shutdown,bye}"));
        QVERIFY(!TimelineAccumulator::isAbnormal(""));
        QVERIFY(TimelineAccumulator::isAbnormal("killed"));
        QVERIFY(TimelineAccumulator::isAbnormal("{badarg,[]}"));
    }

    void growingMailboxRaisesTheAlarmAndAgesOut() {
        // A consumer that does not keep up: +60 messages a second for 4 s is an alarm; a mailbox that
        // stands still afterwards ages out of the window; a burst drained again never raises it.
        HistoryTracker h;
        auto slow = rec(2, 1, "slow");
        auto bursty = rec(3, 1, "bursty");
        auto t = tree({rec(1, 0, "sup"), slow, bursty});
        auto step = [&](std::int64_t timeNs, std::int64_t slowLength, std::int64_t burstyLength) {
            t.processes[2].mailboxLength = slowLength;
            t.processes[3].mailboxLength = burstyLength;
            ChangeSet c;
            c.countersChanged = {2, 3};
            c.timeNs = timeNs;
            h.addChanges(c, t);
        };
        for (int i = 0; i <= 8; ++i) step(i * kSecond / 2, 60 + 30 * i, (i % 2) ? 400 : 5);
        auto growing = h.growingMailboxes();
        QCOMPARE(growing.size(), std::size_t(1));
        QCOMPARE(growing[0].pid, std::uint64_t(2));
        QCOMPARE(growing[0].length, std::int64_t(300));
        QVERIFY2(growing[0].perSecond > 55 && growing[0].perSecond < 65, qPrintable(QString::number(growing[0].perSecond)));
        QCOMPARE(h.processHistory(2, t, 4 * kSecond).mailboxGrowthPerSecond, growing[0].perSecond);
        QCOMPARE(h.processHistory(3, t, 4 * kSecond).mailboxGrowthPerSecond, 0.0);
        // Too short a view is not enough: a fresh tracker after 1 s of the same growth says nothing.
        HistoryTracker fresh;
        for (int i = 0; i <= 2; ++i) {
            ChangeSet c;
            c.countersChanged = {2};
            c.timeNs = 10 * kSecond + i * kSecond / 2;
            t.processes[2].mailboxLength = 200 + 30 * i;
            fresh.addChanges(c, t);
        }
        QVERIFY(fresh.growingMailboxes().empty());
        // It stops growing: still an alarm while the window holds the rise, gone once it does not.
        step(6 * kSecond, 300, 5);
        QCOMPARE(h.growingMailboxes().size(), std::size_t(1));
        step(10 * kSecond, 300, 5);
        QVERIFY(h.growingMailboxes().empty());
        // It exits: gone.
        for (int i = 0; i <= 8; ++i) step(11 * kSecond + i * kSecond / 2, 400 + 30 * i, 5);
        QCOMPARE(h.growingMailboxes().size(), std::size_t(1));
        ChangeSet gone;
        gone.exited.push_back(exited(t.processes[2], "killed", 16 * kSecond));
        gone.timeNs = 16 * kSecond;
        h.addChanges(gone, t);
        QVERIFY(h.growingMailboxes().empty());
    }

    void historyKeepsMailboxSamplesAndSlotEvents() {
        HistoryTracker h;
        auto cache = rec(2, 1, "cache");
        cache.mailboxLength = 4;
        auto t = tree({rec(1, 0, "sup"), cache});
        ChangeSet c1;
        c1.countersChanged = {2};
        c1.timeNs = kSecond;
        h.addChanges(c1, t);
        t.processes[2].mailboxLength = 9;
        ChangeSet c2;
        c2.countersChanged = {2};
        c2.timeNs = 2 * kSecond;
        h.addChanges(c2, t);
        auto hist = h.processHistory(2, t, 3 * kSecond);
        QCOMPARE(hist.mailbox.size(), 2u);
        QCOMPARE(hist.mailbox[1].length, 9);
        QCOMPARE(hist.nowNs, 3 * kSecond);

        // The cache crashes and is restarted as 7: the new process shows its slot's restart.
        ChangeSet c3;
        c3.exited.push_back(exited(t.processes[2], "killed", 4 * kSecond));
        c3.spawned = {7};
        c3.restarted.push_back({1, "cache", 2, 7, "killed", 4 * kSecond});
        c3.timeNs = 4 * kSecond;
        t.processes.erase(2);
        t.processes[7] = rec(7, 1, "cache");
        h.addChanges(c3, t);
        auto after = h.processHistory(7, t, 5 * kSecond);
        QCOMPARE(after.slotEvents.size(), 1u);
        QVERIFY(after.slotEvents[0].kind == SlotEvent::Kind::Restarted);
        QCOMPARE(after.slotEvents[0].oldPid, 2u);
        QCOMPARE(after.slotEvents[0].reason, std::string("killed"));
        QVERIFY(h.processHistory(2, t, 5 * kSecond).mailbox.empty());

        // A ghost slot: not running since its last exit.
        ChangeSet c4;
        c4.exited.push_back(exited(t.processes[7], "normal", 6 * kSecond));
        c4.timeNs = 6 * kSecond;
        t.processes.erase(7);
        h.addChanges(c4, t);
        auto ghost = h.slotHistory(1, "cache", 7 * kSecond);
        QCOMPARE(ghost.slotEvents.size(), 2u);
        QCOMPARE(ghost.notRunningSinceNs, 6 * kSecond);

        // A reset forgets.
        ChangeSet reset;
        reset.reset = true;
        h.addChanges(reset, t);
        QVERIFY(h.slotHistory(1, "cache", 8 * kSecond).slotEvents.empty());
    }

    void herdHistorySumsMembersAndCountsRates() {
        HistoryTracker h;
        auto t = tree({rec(1, 0, "sup")});
        for (std::uint64_t pid = 10; pid < 20; ++pid) {
            t.processes[pid] = rec(pid, 1, "");
            t.processes[pid].mailboxLength = 1;
        }
        ChangeSet spawn;
        for (std::uint64_t pid = 10; pid < 20; ++pid) {
            spawn.spawned.push_back(pid);
            spawn.countersChanged.push_back(pid);
        }
        spawn.timeNs = kSecond;
        h.addChanges(spawn, t);
        ChangeSet exits;
        exits.exited.push_back(exited(t.processes[10], "chaos", 2 * kSecond));
        exits.exited.push_back(exited(t.processes[11], "normal", 2 * kSecond));
        exits.exited.push_back(exited(t.processes[12], "chaos", 2 * kSecond));
        exits.timeNs = 2 * kSecond;
        for (std::uint64_t pid : {10, 11, 12}) t.processes.erase(pid);
        h.addChanges(exits, t);
        std::vector<std::uint64_t> members;
        for (std::uint64_t pid = 13; pid < 20; ++pid) members.push_back(pid);
        auto herd = h.herdHistory(members, t, 3 * kSecond);
        QCOMPARE(herd.mailbox.back().length, 7);
        QVERIFY(herd.spawnsPerSecond > 0);
        QVERIFY(herd.exitsPerSecond > 0);
        QCOMPARE(herd.exitReasons.front().first, std::string("chaos"));
        QCOMPARE(herd.exitReasons.front().second, 2);
    }
};

QTEST_GUILESS_MAIN(TestTimelineAccumulator)
#include "tst_timeline_accumulator.moc"
