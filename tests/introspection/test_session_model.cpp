#include "introspection/session_model.h"
#include "tests/introspection/sample_session.h"
#include <QtTest>

using namespace canopy::introspection;

class TestSessionModel : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 5'000'000'000;

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
        // Tree shape: app_sup's children in start order: workers (3) then the new registry (8).
        QCOMPARE(s.childrenOf(1), (std::vector<std::uint64_t>{3, 8}));
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
};

QTEST_GUILESS_MAIN(TestSessionModel)
#include "test_session_model.moc"
