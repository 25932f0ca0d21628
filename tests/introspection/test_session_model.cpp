#include "introspection/session_model.h"
#include "introspection/codec.h"
#include <algorithm>
#include <thread>
#include "tests/introspection/sample_session.h"
#include <QtTest>

using namespace canopy::introspection;

class TestSessionModel : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 5'000'000'000;

    /// A keyframe of `n` workers under one supervisor, with the odd inputs a loader must take in
    /// order: records with no start order (numbered as they come), a record with no pid (dropped),
    /// a duplicate pid (the first stays), last exits on every other record.
    static Keyframe bigKeyframe(std::size_t n) {
        Keyframe k;
        k.seq = 3;
        k.timeNs = kStart + 1'000'000'000;
        k.processes.push_back(testing::rec(1, 0, "sup", "supervisor", "one_for_one"));
        for (std::size_t i = 0; i < n; ++i) {
            ProcessRecord r = testing::rec(10 + i, 1, "w_" + std::to_string(i));
            r.initialCall = "worker:init/1";
            r.links = {1};
            r.restart = "permanent";
            if (i % 2 == 0) {
                r.lastExitReason = "{badarg,[{worker,handle_call,3}]}";
                r.restartCount = int(i % 5);
            }
            if (i % 7 == 0) r.startOrder = 0;
            if (i == n / 4 || i == n * 2 / 3) r.pid = 0;
            if (i == n * 3 / 4) r.pid = 10 + i - 1; // the record before's pid again
            if (i == n / 3) r.childId = "w_5";     // a slot with two records: the later one takes its place
            k.processes.push_back(std::move(r));
        }
        k.childSlots.push_back({1, "w_3", 4, "killed"});
        return k;
    }
    /// A split whose side thread runs its job to the end (on a thread of its own) before start()
    /// returns: the caller then takes every record the side thread got to.
    struct SideFirst final : ElementSplit<ProcessRecord> {
        explicit SideFirst(KeyframeSplit& s) : inner(s) {}
        bool start(SideDecode decode, std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t skip,
                   std::size_t count) override {
            if (!inner.start(decode, bytes, offset, skip, count)) return false;
            std::thread side([this] { inner.runPosted(); });
            side.join();
            return true;
        }
        ProcessRecord& sideElement() override { return inner.sideElement(); }
        bool publish(std::size_t end) override { return inner.publish(end); }
        std::size_t finish(std::size_t& end) override { return taken = inner.finish(end); }
        void abandon() override { inner.abandon(); }
        KeyframeSplit& inner;
        std::size_t taken = 0;
    };
    /// The loader as the decoder's sink, with `split` as its side thread.
    struct SplitSink final : KeyframeSink {
        SplitSink(SessionModel::KeyframeLoader& l, ElementSplit<ProcessRecord>* s) : loader(l), side(s) {}
        ProcessRecord& element() override { return loader.element(); }
        void commit(ProcessRecord& r) override { loader.commit(r); }
        ElementSplit<ProcessRecord>* split() override { return side; }
        SessionModel::KeyframeLoader& loader;
        ElementSplit<ProcessRecord>* side;
    };
    /// Decodes `payload` into a fresh model through a loader whose side thread is `side` (none:
    /// nullptr); `taken` gets the records the side thread handed over.
    static Result<WireMessage> loadSplit(const std::vector<std::uint8_t>& payload, SessionModel& model, bool withSide,
                                         std::size_t& taken) {
        model = SessionModel{};
        model.setStartNs(kStart);
        SessionModel::KeyframeLoader loader(model);
        KeyframeSplit split;
        SideFirst side(split);
        loader.setSplit(&split);
        SplitSink sink(loader, withSide ? &side : nullptr);
        auto rest = Codec::decodeKeyframeFrame(payload, static_cast<std::uint8_t>(Encoding::Cbor), sink);
        taken = side.taken;
        if (!rest.ok()) return rest;
        // finish() offers the child index to the side thread: one serves it (or finish builds it).
        std::thread server([&split] { split.serveUntilClosed(); });
        loader.finish(std::move(std::get<Keyframe>(*rest)));
        split.close();
        server.join();
        return rest;
    }

private slots:
    void keyframeThenDeltas() {
        SessionModel m;
        m.setStartNs(kStart);
        QVERIFY(!m.hasBase());
        QCOMPARE(m.applyDelta(testing::sampleDeltas(kStart)[0]), SessionModel::Apply::NeedKeyframe);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        QCOMPARE(m.snapshot().processes.size(), std::size_t(5));
        for (const auto& d : testing::sampleDeltas(kStart)) QCOMPARE(m.applyDelta(d), SessionModel::Apply::Applied);
        const auto& s = m.snapshot();
        // 2 and 6 crashed (replaced by 8), 4 exited, 7 was added.
        QVERIFY(!s.find(2) && !s.find(4) && !s.find(6));
        QVERIFY(s.find(7) && s.find(8));
        QCOMPARE(s.find(8)->childId, std::string("registry"));
        QCOMPARE(s.find(8)->parent, std::uint64_t(1));
        QCOMPARE(s.find(8)->restartCount, 2);
        QCOMPARE(s.find(8)->lastExitReason, std::string("boom again"));
        QCOMPARE(m.restartsOf(1, "registry"), 2);
        QCOMPARE(s.find(1)->restartsInWindow, 2);
        QCOMPARE(s.find(7)->parent, std::uint64_t(3));
        QCOMPARE(s.seq, std::uint64_t(10));
        QCOMPARE(s.timeNs, std::int64_t(4'000'000'020));
        // Tree shape: the restarted registry (8) keeps its slot's place before workers (3).
        QCOMPARE(s.childrenOf(1), (std::vector<std::uint64_t>{8, 3}));
        QCOMPARE(s.roots(), (std::vector<std::uint64_t>{1}));
    }
    void sequenceGapNeedsKeyframe() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        auto ds = testing::sampleDeltas(kStart);
        QCOMPARE(m.applyDelta(ds[0]), SessionModel::Apply::Applied);
        QCOMPARE(m.applyDelta(ds[2]), SessionModel::Apply::Gap); // seq 3 after 1
        QVERIFY(m.needsKeyframe());
        QCOMPARE(m.gaps(), std::uint64_t(1));
        QCOMPARE(m.applyDelta(ds[3]), SessionModel::Apply::NeedKeyframe);
        Keyframe k = testing::sampleKeyframe(kStart);
        k.seq = 5;
        m.applyKeyframe(k);
        QVERIFY(!m.needsKeyframe());
        QCOMPARE(m.applyDelta(ds[4]), SessionModel::Apply::Stale); // seq 5 already in the keyframe
        QCOMPARE(m.applyDelta(ds[5]), SessionModel::Apply::Applied);
    }
    void resyncNoticeWaitsForKeyframe() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        QCOMPARE(m.apply(ResyncNotice{3, "queue_overflow"}), SessionModel::Apply::NeedKeyframe);
        QCOMPARE(m.apply(testing::sampleDeltas(kStart)[0]), SessionModel::Apply::NeedKeyframe);
        QCOMPARE(m.apply(testing::sampleKeyframe(kStart)), SessionModel::Apply::Applied);
        QVERIFY(!m.needsKeyframe());
    }
    void samplesUpdateMailboxes() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        Sample s;
        s.timeNs = kStart + 100;
        s.mailboxes = {{2, 40}, {999, 3}};
        s.handled = {{2, 1000}};
        s.totalMailbox = 40;
        s.messageRate = 12.5;
        m.applySample(s);
        QCOMPARE(m.snapshot().find(2)->mailboxLength, std::int64_t(40));
        QCOMPARE(m.snapshot().find(2)->messagesHandled, std::uint64_t(1000));
        QCOMPARE(m.snapshot().messageRate, 12.5);
    }
    void linksAreSymmetricAndDroppedOnExit() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        m.applyDelta(testing::delta(1, kStart + 1, DeltaType::Link, 4, 5));
        QCOMPARE(m.snapshot().find(4)->links, (std::vector<std::uint64_t>{5}));
        QCOMPARE(m.snapshot().find(5)->links, (std::vector<std::uint64_t>{4}));
        m.applyDelta(testing::delta(2, kStart + 2, DeltaType::Exit, 4, 0, "", "killed"));
        QVERIFY(m.snapshot().find(5)->links.empty());
    }
    void assumeEmptyAcceptsFirstDelta() {
        SessionModel m;
        m.assumeEmpty();
        QCOMPARE(m.applyDelta(testing::delta(41, 10, DeltaType::Spawn, 9, 0, "Main")), SessionModel::Apply::Applied);
        QCOMPARE(m.applyDelta(testing::delta(43, 11, DeltaType::Spawn, 10, 9, "X")), SessionModel::Apply::Gap);
    }

    // ---- change sets ----------------------------------------------------------------------------
    void firstKeyframeIsAResetLaterOnesAreDiffs() {
        SessionModel m;
        m.setStartNs(kStart);
        ChangeSet c;
        m.applyKeyframe(testing::sampleKeyframe(kStart), &c);
        QVERIFY(c.reset);
        QVERIFY(c.spawned.empty());
        // The same tree again (a resync): nothing to report, no reset.
        ChangeSet again;
        m.applyKeyframe(testing::sampleKeyframe(kStart), &again);
        QVERIFY(!again.reset);
        QVERIFY2(again.empty(), "an identical keyframe must report nothing");
    }
    void keyframeOverKnownTreeReportsOnlyDifferences() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        Keyframe k = testing::sampleKeyframe(kStart);
        k.seq = 7;
        k.processes.erase(k.processes.begin() + 4);           // worker 5 gone
        k.processes.push_back(testing::rec(9, 3, ""));         // worker 9 new
        k.processes[1].mailboxLength = 12;                     // registry's mailbox
        k.processes[3].status = "running";                     // worker 4 changed status
        k.processes[1].name = "reg";                           // registry renamed
        ChangeSet c;
        m.applyKeyframe(k, &c);
        QVERIFY(!c.reset);
        QCOMPARE(c.spawned, (std::vector<std::uint64_t>{9}));
        QCOMPARE(c.exited.size(), std::size_t(1));
        QCOMPARE(c.exited[0].record.pid, std::uint64_t(5));
        QCOMPARE(c.countersChanged, (std::vector<std::uint64_t>{2}));
        QCOMPARE(c.updated, (std::vector<std::uint64_t>{2, 4}));
        QCOMPARE(c.renamed.size(), std::size_t(1));
        QCOMPARE(c.renamed[0].newName, std::string("reg"));
        QVERIFY(c.restarted.empty());
        QVERIFY(c.totalsChanged);
        QCOMPARE(c.seq, std::uint64_t(7));
        QCOMPARE(m.snapshot().childrenOf(3), (std::vector<std::uint64_t>{4, 9}));
    }
    void keyframeOverASupervisorWithManyLinksReportsTheLinksThatChanged() {
        // A supervisor linked to 5,000 children (long lists are compared sorted): between two
        // keyframes child 10 left and child 9000 came; exactly those links are reported.
        auto keyframeWith = [](std::uint64_t seq, const std::vector<std::uint64_t>& children) {
            Keyframe k;
            k.seq = seq;
            k.timeNs = kStart;
            ProcessRecord sup = testing::rec(1, 0, "sup", "supervisor", "one_for_one");
            for (auto pid : children) {
                sup.links.push_back(pid);
                ProcessRecord w = testing::rec(pid, 1, "");
                w.links = {1};
                k.processes.push_back(w);
            }
            k.processes.insert(k.processes.begin(), sup);
            return k;
        };
        std::vector<std::uint64_t> children;
        for (std::uint64_t pid = 10; pid < 5010; ++pid) children.push_back(pid);
        SessionModel m;
        m.applyKeyframe(keyframeWith(1, children));
        children.erase(children.begin());
        children.push_back(9000);
        ChangeSet c;
        m.applyKeyframe(keyframeWith(2, children), &c);
        QCOMPARE(c.spawned, (std::vector<std::uint64_t>{9000}));
        QCOMPARE(c.exited.size(), std::size_t(1));
        QCOMPARE(c.linked.size(), std::size_t(1));
        QCOMPARE(c.linked[0].a, std::uint64_t(1));
        QCOMPARE(c.linked[0].b, std::uint64_t(9000));
        QCOMPARE(c.unlinked.size(), std::size_t(1));
        QCOMPARE(c.unlinked[0].b, std::uint64_t(10));
        QCOMPARE(m.snapshot().find(1)->links.size(), std::size_t(5000));
    }
    void keyframeDiffPairsASlotWithANewPidAsARestart() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        Keyframe k = testing::sampleKeyframe(kStart);
        k.processes[1] = testing::rec(20, 1, "registry"); // the registry slot now runs pid 20
        ChangeSet c;
        m.applyKeyframe(k, &c);
        QCOMPARE(c.restarted.size(), std::size_t(1));
        QCOMPARE(c.restarted[0].oldPid, std::uint64_t(2));
        QCOMPARE(c.restarted[0].newPid, std::uint64_t(20));
        QCOMPARE(c.restarted[0].childId, std::string("registry"));
        // Same place among the siblings as the pid it replaced.
        QCOMPARE(m.snapshot().childrenOf(1), (std::vector<std::uint64_t>{20, 3}));
    }
    void eachDeltaTypeReportsItsChange() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        bool allApplied = true;
        auto one = [&](Delta d) {
            ChangeSet c;
            allApplied = allApplied && m.applyDelta(d, &c) == SessionModel::Apply::Applied;
            return c;
        };
        std::uint64_t seq = 0;
        ChangeSet c = one(testing::delta(++seq, kStart + 10, DeltaType::Spawn, 10, 3, "Worker"));
        QCOMPARE(c.spawned, (std::vector<std::uint64_t>{10}));
        QVERIFY(c.totalsChanged && c.structureChanged());
        c = one(testing::delta(++seq, kStart + 11, DeltaType::Link, 10, 3));
        QCOMPARE(c.linked.size(), std::size_t(1));
        QVERIFY(!c.structureChanged());
        c = one(testing::delta(++seq, kStart + 12, DeltaType::Link, 10, 3)); // already linked
        QVERIFY(c.empty());
        c = one(testing::delta(++seq, kStart + 13, DeltaType::Unlink, 3, 10));
        QCOMPARE(c.unlinked.size(), std::size_t(1));
        c = one(testing::delta(++seq, kStart + 14, DeltaType::Monitor, 10, 2));
        QCOMPARE(c.monitored.size(), std::size_t(1));
        QCOMPARE(c.monitored[0].a, std::uint64_t(10));
        QCOMPARE(c.monitored[0].b, std::uint64_t(2));
        c = one(testing::delta(++seq, kStart + 15, DeltaType::Demonitor, 10, 2));
        QCOMPARE(c.demonitored.size(), std::size_t(1));
        c = one(testing::delta(++seq, kStart + 16, DeltaType::NameRegistered, 10, 0, "w10"));
        QCOMPARE(c.renamed.size(), std::size_t(1));
        QCOMPARE(c.renamed[0].newName, std::string("w10"));
        c = one(testing::delta(++seq, kStart + 17, DeltaType::NameUnregistered, 10, 0, "w10"));
        QCOMPARE(c.renamed[0].oldName, std::string("w10"));
        QCOMPARE(c.renamed[0].newName, std::string());
        c = one(testing::delta(++seq, kStart + 18, DeltaType::ChildTerminated, 2, 1, "registry", "boom"));
        QCOMPARE(c.updated, (std::vector<std::uint64_t>{2}));
        c = one(testing::delta(++seq, kStart + 19, DeltaType::Exit, 10, 0, "", "killed"));
        QCOMPARE(c.exited.size(), std::size_t(1));
        QCOMPARE(c.exited[0].record.pid, std::uint64_t(10));
        QCOMPARE(c.exited[0].reason, std::string("killed"));
        QCOMPARE(c.exited[0].timeNs, std::int64_t(19));
        c = one(testing::delta(++seq, kStart + 20, DeltaType::SupervisorGaveUp, 1, 2, "registry", "shutdown"));
        QCOMPARE(c.gaveUp.size(), std::size_t(1));
        QCOMPARE(c.gaveUp[0].supervisor, std::uint64_t(1));
        QCOMPARE(c.gaveUp[0].childId, std::string("registry"));
        QCOMPARE(c.updated, (std::vector<std::uint64_t>{1}));
        QCOMPARE(c.seq, seq);
        QCOMPARE(c.timeNs, std::int64_t(20));
        QVERIFY(allApplied);
    }
    void restartReportsSetTheSupervisorsLimitsFieldByField() {
        // A child_restarted report carries the supervisor's strategy and intensity limits: each
        // lands in its own member (values all distinct, so a swap of any two shows).
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart)); // app_sup: one_for_one, 3 restarts in 5 s
        QCOMPARE(m.snapshot().find(1)->maxRestarts, 3);
        QCOMPARE(m.snapshot().find(1)->maxSeconds, 5);
        m.applyDelta(testing::delta(1, kStart + 10, DeltaType::Exit, 2, 0, "", "boom"));
        auto d = testing::delta(2, kStart + 20, DeltaType::ChildRestarted, 40, 1, "registry");
        d.strategy = "rest_for_one";
        d.restartsInWindow = 2;
        d.maxRestarts = 10;
        d.maxSeconds = 60;
        ChangeSet c;
        QCOMPARE(m.applyDelta(d, &c), SessionModel::Apply::Applied);
        const ProcessRecord* sup = m.snapshot().find(1);
        QVERIFY(sup);
        QCOMPARE(sup->maxRestarts, 10);
        QCOMPARE(sup->maxSeconds, 60);
        QCOMPARE(sup->restartsInWindow, 2);
        QCOMPARE(sup->strategy, std::string("rest_for_one"));
        QVERIFY(std::find(c.updated.begin(), c.updated.end(), std::uint64_t(1)) != c.updated.end());
        // The child took the slot; its own record has no supervisor limits.
        QCOMPARE(m.snapshot().find(40)->maxRestarts, 0);
        // A report without limits (0) leaves them as they are.
        auto bare = testing::delta(3, kStart + 30, DeltaType::ChildRestarted, 41, 1, "registry");
        m.applyDelta(testing::delta(3, kStart + 25, DeltaType::Exit, 40, 0, "", "boom"));
        bare.seq = 4;
        m.applyDelta(bare);
        QCOMPARE(m.snapshot().find(1)->maxRestarts, 10);
        QCOMPARE(m.snapshot().find(1)->maxSeconds, 60);
        // And they survive a keyframe made from the model, and a stopped supervisor's ghost slot.
        SessionModel copy;
        copy.applyKeyframe(m.makeKeyframe());
        QCOMPARE(copy.snapshot().find(1)->maxRestarts, 10);
        QCOMPARE(copy.snapshot().find(1)->maxSeconds, 60);
    }
    void stoppedSupervisorSlotKeepsItsLimits() {
        SessionModel m;
        m.setStartNs(kStart);
        Keyframe k = testing::sampleKeyframe(kStart);
        ProcessRecord sub = testing::rec(20, 1, "sub_sup", "supervisor", "one_for_all");
        sub.restart = "transient";
        sub.maxRestarts = 4;
        sub.maxSeconds = 30;
        k.processes.push_back(sub);
        m.applyKeyframe(k);
        m.applyDelta(testing::delta(1, kStart + 5, DeltaType::Exit, 20, 0, "", "normal"));
        const auto& ghosts = m.snapshot().ghostsOf(1);
        QCOMPARE(ghosts.size(), std::size_t(1));
        QCOMPARE(ghosts[0].childId, std::string("sub_sup"));
        QCOMPARE(ghosts[0].maxRestarts, 4);
        QCOMPARE(ghosts[0].maxSeconds, 30);
        QCOMPARE(ghosts[0].strategy, std::string("one_for_all"));
    }
    void totalMailboxFollowsDeltasAndKeyframes() {
        // The total is the sum of the known processes' mailboxes, kept by every edit (not only by
        // samples): spawns add, exits subtract, a merged record adds the difference.
        SessionModel m;
        m.setStartNs(kStart);
        Keyframe k = testing::sampleKeyframe(kStart);
        k.processes[1].mailboxLength = 3;
        k.processes[3].mailboxLength = 4;
        m.applyKeyframe(k);
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(7));
        auto spawn = testing::delta(1, kStart + 10, DeltaType::Spawn, 10, 3, "Worker");
        spawn.process = testing::rec(10, 3, "");
        spawn.process->mailboxLength = 5;
        m.applyDelta(spawn);
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(12));
        auto started = testing::delta(2, kStart + 11, DeltaType::ChildStarted, 10, 3, "");
        started.process = testing::rec(10, 3, "");
        started.process->mailboxLength = 8; // merged into the known record: +3
        m.applyDelta(started);
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(15));
        m.applyDelta(testing::delta(3, kStart + 12, DeltaType::Exit, 10, 0, "", "killed"));
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(7));
        m.applyDelta(testing::delta(4, kStart + 13, DeltaType::Exit, 2, 0, "", "boom"));
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(4));
        // A later keyframe over the known tree: one changed, one gone, one new.
        Keyframe later = testing::sampleKeyframe(kStart + 20);
        later.seq = 4;
        std::erase_if(later.processes, [](const ProcessRecord& r) { return r.pid == 2 || r.pid == 4; }); // gone
        for (auto& r : later.processes)
            if (r.pid == 3) r.mailboxLength = 9; // workers: 4 -> 9
        later.processes.push_back(testing::rec(11, 3, ""));
        later.processes.back().mailboxLength = 2;
        m.applyKeyframe(later);
        QCOMPARE(m.snapshot().find(3)->mailboxLength, std::int64_t(9));
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(11));
        // Negative counts never appear: every process is gone, the total is 0 again.
        Keyframe empty;
        empty.seq = 4;
        empty.timeNs = kStart + 30;
        m.applyKeyframe(empty);
        QCOMPARE(m.snapshot().totalMailbox, std::int64_t(0));
    }
    void restartKeepsSiblingOrderAndReportsOldAndNewPid() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        std::vector<ChangeSet> sets;
        for (const auto& d : testing::sampleDeltas(kStart)) {
            ChangeSet c;
            m.applyDelta(d, &c);
            sets.push_back(std::move(c));
        }
        // seq 1: registry (2) exits with "boom": a ghost slot until it is restarted.
        QCOMPARE(sets[0].exited.size(), std::size_t(1));
        QCOMPARE(sets[0].slotsChanged, (std::vector<std::uint64_t>{1}));
        // seq 3: restarted as 6, same slot, reason from the exit.
        QCOMPARE(sets[2].restarted.size(), std::size_t(1));
        QCOMPARE(sets[2].restarted[0].oldPid, std::uint64_t(2));
        QCOMPARE(sets[2].restarted[0].newPid, std::uint64_t(6));
        QCOMPARE(sets[2].restarted[0].reason, std::string("boom"));
        QCOMPARE(sets[2].restarted[0].supervisor, std::uint64_t(1));
        // seq 10: 6 -> 8.
        QCOMPARE(sets[9].restarted[0].oldPid, std::uint64_t(6));
        QCOMPARE(sets[9].restarted[0].newPid, std::uint64_t(8));
        QVERIFY(m.snapshot().ghosts.empty());
        QCOMPARE(m.snapshot().childrenOf(1), (std::vector<std::uint64_t>{8, 3}));
    }
    void staticChildThatStopsStaysAGhostSlot() {
        SessionModel m;
        m.setStartNs(kStart);
        Keyframe k = testing::sampleKeyframe(kStart);
        k.processes[1].restart = "transient";
        k.processes.push_back(testing::rec(12, 1, "cache"));
        k.processes.back().restart = "temporary";
        m.applyKeyframe(k);
        ChangeSet c;
        m.applyDelta(testing::delta(1, kStart + 5, DeltaType::Exit, 2, 0, "", "normal"), &c);
        QCOMPARE(c.slotsChanged, (std::vector<std::uint64_t>{1}));
        const auto& ghosts = m.snapshot().ghostsOf(1);
        QCOMPARE(ghosts.size(), std::size_t(1));
        QCOMPARE(ghosts[0].childId, std::string("registry"));
        QCOMPARE(ghosts[0].pid, std::uint64_t(0));
        QCOMPARE(ghosts[0].lastExitReason, std::string("normal"));
        QCOMPARE(ghosts[0].startOrder, std::uint64_t(2)); // before workers (3)
        // A temporary child leaves no slot (OTP forgets it); a dynamic supervisor has none.
        ChangeSet t;
        m.applyDelta(testing::delta(2, kStart + 6, DeltaType::Exit, 12, 0, "", "normal"), &t);
        QVERIFY(t.slotsChanged.empty());
        m.applyDelta(testing::delta(3, kStart + 7, DeltaType::Exit, 4, 0, "", "normal"), &t);
        QVERIFY(m.snapshot().ghostsOf(3).empty());
        // The ghost travels in keyframes and survives a reload.
        SessionModel copy;
        copy.applyKeyframe(m.makeKeyframe());
        QCOMPARE(copy.snapshot().ghostsOf(1).size(), std::size_t(1));
        // Starting the slot again removes the ghost.
        ChangeSet again;
        m.applyDelta(testing::delta(4, kStart + 8, DeltaType::ChildStarted, 30, 1, "registry"), &again);
        QCOMPARE(again.slotsChanged, (std::vector<std::uint64_t>{1}));
        QVERIFY(m.snapshot().ghostsOf(1).empty());
        QCOMPARE(m.snapshot().childrenOf(1), (std::vector<std::uint64_t>{30, 3}));
    }
    void restartsInWindowAgeWithTime() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        auto ds = testing::sampleDeltas(kStart); // restarts of app_sup (max 3 in 5 s) at +1 s and +4 s
        for (const auto& d : ds) m.applyDelta(d);
        const std::int64_t s = 1'000'000'000;
        QCOMPARE(m.restartsInWindow(1, 4 * s), 2);
        QCOMPARE(m.restartsInWindow(1, 6 * s), 2);   // +1 s is in [6-5, 6]
        QCOMPARE(m.restartsInWindow(1, 7 * s), 1);   // +1 s aged out
        QCOMPARE(m.restartsInWindow(1, 10 * s), 0);
        ChangeSet c;
        m.advanceTime(7 * s, &c);
        QCOMPARE(m.snapshot().find(1)->restartsInWindow, 1);
        QCOMPARE(c.updated, (std::vector<std::uint64_t>{1}));
        QCOMPARE(m.snapshotAt(10 * s).find(1)->restartsInWindow, 0);
        // A keyframe carries the times: a model built from it (a seek) answers the same.
        SessionModel seeked;
        seeked.setStartNs(kStart);
        seeked.applyKeyframe(m.makeKeyframe());
        QCOMPARE(seeked.restartsInWindow(1, 7 * s), 1);
        QCOMPARE(seeked.restartsInWindow(1, 10 * s), 0);
    }
    void eventsKeepTheirOwnTimeWhenTheClockIsAhead() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        m.advanceTime(10'000'000'000); // a live session's "now", past the next event's time
        ChangeSet c;
        m.applyDelta(testing::delta(1, kStart + 2'000'000'000, DeltaType::Exit, 4, 0, "", "killed"), &c);
        QCOMPARE(c.exited.size(), std::size_t(1));
        QCOMPARE(c.exited[0].timeNs, std::int64_t(2'000'000'000));
        QCOMPARE(m.snapshot().timeNs, std::int64_t(10'000'000'000)); // the clock never goes back
    }
    void restartedSupervisorStartsAFreshWindow() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) m.applyDelta(d);
        m.applyDelta(testing::delta(11, kStart + 5'000'000'000, DeltaType::Exit, 1, 0, "", "shutdown"));
        auto sp = testing::delta(12, kStart + 5'000'000'100, DeltaType::Spawn, 40, 0, "AppSup");
        sp.process = testing::rec(40, 0, "app_sup", "supervisor", "one_for_one");
        m.applyDelta(sp);
        QCOMPARE(m.restartsInWindow(40, 5'000'000'100), 0);
    }
    void assignFromReportsNetDifferences() {
        SessionModel a, b;
        for (auto* m : {&a, &b}) {
            m->setStartNs(kStart);
            m->applyKeyframe(testing::sampleKeyframe(kStart));
        }
        for (const auto& d : testing::sampleDeltas(kStart)) b.applyDelta(d);
        ChangeSet c;
        a.assignFrom(std::move(b), &c);
        QVERIFY(!c.reset);
        // 2 -> 8 is the registry slot restarted; 4 left; 7 came.
        QCOMPARE(c.restarted.size(), std::size_t(1));
        QCOMPARE(c.restarted[0].oldPid, std::uint64_t(2));
        QCOMPARE(c.restarted[0].newPid, std::uint64_t(8));
        std::vector<std::uint64_t> spawned = c.spawned;
        std::sort(spawned.begin(), spawned.end());
        QCOMPARE(spawned, (std::vector<std::uint64_t>{7, 8}));
        QCOMPARE(c.exited.size(), std::size_t(2));
        QCOMPARE(a.snapshot().processes.size(), std::size_t(5));
        // Back again: the reverse differences.
        SessionModel back;
        back.setStartNs(kStart);
        back.applyKeyframe(testing::sampleKeyframe(kStart));
        ChangeSet r;
        a.assignFrom(std::move(back), &r);
        QCOMPARE(r.restarted.size(), std::size_t(1));
        QCOMPARE(r.restarted[0].newPid, std::uint64_t(2));
    }
    void indexStaysLinearAndCorrect() {
        // 20k workers under one dynamic supervisor, then half of them leave in start order: the
        // index follows each change (compared with a rebuilt one).
        SessionModel m;
        Keyframe k;
        k.processes.push_back(testing::rec(1, 0, "sup", "dynamic_supervisor", "one_for_one"));
        for (std::uint64_t p = 2; p < 20002; ++p) k.processes.push_back(testing::rec(p, 1, ""));
        m.applyKeyframe(k);
        std::uint64_t seq = 0;
        for (std::uint64_t p = 2; p < 10002; ++p, ++seq)
            m.applyDelta(testing::delta(seq + 1, 10 + std::int64_t(seq), DeltaType::Exit, p, 0, "", "normal"));
        for (std::uint64_t p = 30000; p < 30010; ++p, ++seq)
            m.applyDelta(testing::delta(seq + 1, 10 + std::int64_t(seq), DeltaType::Spawn, p, 1, "W"));
        TreeSnapshot copy;
        copy.processes = m.snapshot().processes; // hand-filled: index built from scratch
        QCOMPARE(m.snapshot().childrenOf(1), copy.childrenOf(1));
        QCOMPARE(m.snapshot().roots(), copy.roots());
        QCOMPARE(m.snapshot().childrenOf(1).size(), std::size_t(10010));
        // A parent that leaves before its children: they become roots, then leave too.
        m.applyDelta(testing::delta(++seq, 100000, DeltaType::Exit, 1, 0, "", "killed"));
        QCOMPARE(m.snapshot().roots().size(), std::size_t(10010));
        for (std::uint64_t p = 10002; p < 20002; ++p) m.applyDelta(testing::delta(++seq, 100000, DeltaType::Exit, p, 0, "", "killed"));
        QCOMPARE(m.snapshot().roots().size(), std::size_t(10));
    }
    void samplesReportCounters() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        Sample s;
        s.timeNs = kStart + 100;
        s.mailboxes = {{2, 4}, {3, 0}};
        s.handled = {{2, 10}, {4, 1}};
        s.totalMailbox = 4;
        ChangeSet c;
        m.applySample(s, &c);
        QCOMPARE(c.countersChanged, (std::vector<std::uint64_t>{2, 4}));
        QVERIFY(c.totalsChanged);
        ChangeSet none;
        m.applySample(s, &none);
        QVERIFY(none.empty());
    }
    void makeKeyframeRoundTrips() {
        SessionModel m;
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) m.applyDelta(d);
        Keyframe k = m.makeKeyframe();
        SessionModel m2;
        m2.applyKeyframe(k);
        QCOMPARE(m2.snapshot().processes.size(), m.snapshot().processes.size());
        QCOMPARE(m2.snapshot().find(8)->restartCount, 2);
        QCOMPARE(m2.restartsOf(1, "registry"), 2);
        QCOMPARE(m2.lastSeq(), std::uint64_t(10));
    }
    /// A keyframe decoded record by record into the model's tree (Codec::decodeKeyframeFrame +
    /// KeyframeLoader: the seek's and the live first keyframe's path) gives the model applyKeyframe()
    /// gives: records, slot history (restart counts, last exits), sibling order, ghosts, index, clock.
    void keyframeLoadedWhileDecodingEqualsAppliedKeyframe() {
        SessionModel m;
        m.setStartNs(kStart);
        m.applyKeyframe(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) m.applyDelta(d);
        // A static child that stops: a ghost slot with its history.
        m.applyDelta(testing::delta(11, kStart + 5'000'000'000, DeltaType::Exit, 3, 0, "", "shutdown"));
        Keyframe k = m.makeKeyframe();
        QVERIFY(!k.childSlots.empty());
        QVERIFY(!k.ghosts.empty());
        for (Encoding e : {Encoding::Cbor, Encoding::Json}) {
            const std::vector<std::uint8_t> payload = Codec::encodePayload(k, e);
            SessionModel applied;
            applied.setStartNs(kStart);
            auto whole = Codec::decodeFrame(payload, static_cast<std::uint8_t>(e));
            QVERIFY2(whole.ok(), whole.ok() ? "" : whole.error().c_str());
            ChangeSet appliedChanges;
            applied.apply(std::move(*whole), &appliedChanges);

            SessionModel loaded;
            loaded.setStartNs(kStart);
            SessionModel::KeyframeLoader loader(loaded);
            auto rest = Codec::decodeKeyframeFrame(payload, static_cast<std::uint8_t>(e), loader);
            QVERIFY2(rest.ok(), rest.ok() ? "" : rest.error().c_str());
            QVERIFY(std::holds_alternative<Keyframe>(*rest));
            QVERIFY(std::get<Keyframe>(*rest).processes.empty()); // the records went to the loader
            ChangeSet loadedChanges;
            loader.finish(std::move(std::get<Keyframe>(*rest)), &loadedChanges);

            QVERIFY(loaded.hasBase());
            QVERIFY(loadedChanges.reset);
            QCOMPARE(loadedChanges.totalsChanged, appliedChanges.totalsChanged);
            QCOMPARE(loaded.snapshot().processes.size(), m.snapshot().processes.size());
            QVERIFY(loaded.snapshot().processes == applied.snapshot().processes);
            QVERIFY(loaded.snapshot().ghosts == applied.snapshot().ghosts);
            QCOMPARE(loaded.snapshot().totalMailbox, applied.snapshot().totalMailbox);
            QCOMPARE(loaded.snapshot().timeNs, applied.snapshot().timeNs);
            QCOMPARE(loaded.lastSeq(), std::uint64_t(11));
            QCOMPARE(loaded.restartsOf(1, "registry"), 2);
            QCOMPARE(loaded.snapshot().childrenOf(1), applied.snapshot().childrenOf(1));
            QCOMPARE(loaded.snapshot().find(8)->lastExitReason, std::string("boom again"));
            const Keyframe again = loaded.makeKeyframe(), appliedAgain = applied.makeKeyframe();
            QVERIFY(again.processes == k.processes);
            QVERIFY(again.processes == appliedAgain.processes);
            QCOMPARE(again.childSlots.size(), appliedAgain.childSlots.size());
            for (std::size_t i = 0; i < again.childSlots.size(); ++i) {
                QCOMPARE(again.childSlots[i].childId, appliedAgain.childSlots[i].childId);
                QCOMPARE(again.childSlots[i].restarts, appliedAgain.childSlots[i].restarts);
                QCOMPARE(again.childSlots[i].lastExit, appliedAgain.childSlots[i].lastExit);
            }
            QVERIFY(again.ghosts == appliedAgain.ghosts);
            // The models go on alike.
            const auto next = testing::delta(12, kStart + 6'000'000'000, DeltaType::Spawn, 9, 1, "Late");
            QCOMPARE(loaded.applyDelta(next), SessionModel::Apply::Applied);
            applied.applyDelta(next);
            QVERIFY(loaded.snapshot().processes == applied.snapshot().processes);
        }
    }
    /// Through decodeKeyframeFrame, a message that is not a keyframe decodes whole (the sink takes
    /// nothing), and a bad record is an error naming it.
    void keyframeSinkDecodingOtherMessagesAndErrors() {
        SessionModel model;
        SessionModel::KeyframeLoader loader(model);
        const auto delta = Codec::encodePayload(WireMessage(testing::sampleDeltas(kStart)[0]), Encoding::Cbor);
        auto d = Codec::decodeKeyframeFrame(delta, static_cast<std::uint8_t>(Encoding::Cbor), loader);
        QVERIFY(d.ok());
        QVERIFY(std::holds_alternative<Delta>(*d));
        QVERIFY(model.snapshot().processes.empty());
        const std::string bad = R"({"type":"keyframe","seq":1,"time_ns":2,"processes":[{"pid":1},{"pid":"x"}]})";
        auto r = Codec::decodeKeyframeFrame(std::span(reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size()),
                                            static_cast<std::uint8_t>(Encoding::Json), loader);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("processes[1].pid") != std::string::npos, r.error().c_str());
    }
    /// A big keyframe whose second half a side thread decodes (a seek's read-ahead thread) loads
    /// the model exactly as one thread does; a corrupt record in either half is the same error.
    void bigKeyframeSplitWithASideThreadEqualsOneThread() {
        const std::size_t n = 9000;
        const Keyframe k = bigKeyframe(n);
        const std::vector<std::uint8_t> payload = Codec::encodePayload(k, Encoding::Cbor);
        SessionModel one, two;
        std::size_t taken = 0;
        auto a = loadSplit(payload, one, false, taken);
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().c_str());
        QCOMPARE(taken, std::size_t(0));
        auto b = loadSplit(payload, two, true, taken);
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().c_str());
        // The side thread took the records from the middle on (the array also holds the supervisor).
        QCOMPARE(taken, (n + 1) - (n + 1) / 2);
        QCOMPARE(one.snapshot().processes.size(), n + 1 - 3);
        QVERIFY(one.snapshot().processes == two.snapshot().processes);
        QCOMPARE(one.snapshot().childrenOf(1), two.snapshot().childrenOf(1));
        QCOMPARE(two.snapshot().find(10 + n / 3)->startOrder, two.snapshot().find(15)->startOrder);
        QCOMPARE(one.restartsOf(1, "w_3"), 4);
        QCOMPARE(two.restartsOf(1, "w_3"), 4);
        const std::vector<std::uint8_t> again = Codec::encodePayload(two.makeKeyframe(), Encoding::Cbor);
        QVERIFY(again == Codec::encodePayload(one.makeKeyframe(), Encoding::Cbor));
        // The same as applyKeyframe, which decodes nothing.
        SessionModel applied;
        applied.setStartNs(kStart);
        applied.applyKeyframe(k);
        QVERIFY(applied.snapshot().processes == two.snapshot().processes);

        // A record the side thread cannot decode: it stops there, this thread goes on from it and
        // reports it as one thread would.
        for (const std::size_t bad : {std::size_t(100), n / 2 + 10, n - 3}) {
            std::vector<std::uint8_t> broken = payload;
            const std::string marker = "w_" + std::to_string(bad);
            const auto at = std::search(broken.begin(), broken.end(), marker.begin(), marker.end());
            QVERIFY(at != broken.end());
            *(at - 1) = std::uint8_t(0x40 | marker.size()); // the child id a byte string
            auto x = loadSplit(broken, one, false, taken);
            auto y = loadSplit(broken, two, true, taken);
            QVERIFY(!x.ok() && !y.ok());
            QCOMPARE(y.error(), x.error());
            QVERIFY2(x.error().find("processes[" + std::to_string(bad + 1) + "].child_id") != std::string::npos,
                     x.error().c_str());
            if (bad > n / 2) QCOMPARE(taken, bad + 1 - (n + 1) / 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestSessionModel)
#include "test_session_model.moc"
