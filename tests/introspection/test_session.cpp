// Session: the one pump of every viewer. Live sessions against the scripted fake probe (states,
// refusals, resyncs, reconnects, recording); file sessions over a written session (seek, play).
#include "introspection/codec.h"
#include "introspection/session.h"
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "tests/introspection/fake_probe.h"
#include "tests/introspection/sample_session.h"
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <functional>
#include <set>

using namespace canopy::introspection;
using canopy::introspection::testing::FakeProbe;

/// Compares session state kinds by name (readable failures).
#define QCOMPARE_KIND(a, b) QCOMPARE(std::string(toString(a)), std::string(toString(b)))

namespace {
using Clock = std::chrono::steady_clock;
constexpr std::int64_t kStart = 1'000'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

Session::LiveOptions optionsFor(const FakeProbe& probe) {
    Session::LiveOptions o;
    o.port = probe.port();
    o.sampleHz = 1.0; // the probe's default: no subscribe, one keyframe
    o.connectTimeoutMs = 5000;
    return o;
}

/// Steps `session` until `done` holds or 5 s pass; every change set goes to `sink` (if given).
bool stepUntil(Session& session, const std::function<bool()>& done,
               const std::function<void(ChangeSet&)>& sink = {}) {
    const auto until = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < until) {
        ChangeSet c = session.step(20);
        if (sink) sink(c);
        if (done()) return true;
    }
    return done();
}

void script(FakeProbe& p) {
    p.startNs = kStart;
    p.script.push_back(testing::sampleKeyframe(kStart));
    for (const auto& d : testing::sampleDeltas(kStart)) p.script.push_back(d);
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT

private slots:
    void liveStreamsChangeSets() {
        FakeProbe probe;
        script(probe);
        probe.start();
        auto s = Session::live(optionsFor(probe));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Connecting);
        std::vector<ChangeSet> sets;
        QVERIFY2(stepUntil(*s, [&] { return s->model().lastSeq() == 10; }, [&](ChangeSet& c) {
                     if (!c.empty()) sets.push_back(std::move(c));
                 }),
                 s->state().message.c_str());
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Live);
        QVERIFY(!sets.empty());
        QVERIFY(sets.front().reset);
        ChangeSet all;
        for (auto& c : sets) all.append(std::move(c));
        // Appending later sets to the reset keeps it a reset with the later lists.
        QVERIFY(all.reset);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> restarts;
        for (const auto& r : all.restarted) restarts.push_back({r.oldPid, r.newPid});
        QCOMPARE(restarts, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2, 6}, {6, 8}}));
        QCOMPARE(s->welcome().server, std::string("fake-probe"));
        QCOMPARE(s->describe(), probe.target());
        QVERIFY(!s->isFile());
        QVERIFY(s->eventsPerSecond() >= 10.0);
        QCOMPARE(s->timeNs(), std::int64_t(4 * kSecond + 20));
        // Commands are refused locally when the probe did not enable them.
        QVERIFY(!s->send(Command{1, "kill", 8, 0, "", ""}).ok());
    }

    void refusals_data() {
        QTest::addColumn<int>("kind");
        QTest::newRow("bad token") << int(SessionState::Refusal::BadToken);
        QTest::newRow("version mismatch") << int(SessionState::Refusal::VersionMismatch);
        QTest::newRow("not a probe") << int(SessionState::Refusal::NotAProbe);
    }
    void refusals() {
        QFETCH(int, kind);
        FakeProbe probe;
        script(probe);
        auto o = optionsFor(probe);
        if (kind == int(SessionState::Refusal::BadToken)) {
            probe.token = "right";
            o.token = "wrong";
        } else if (kind == int(SessionState::Refusal::VersionMismatch)) {
            probe.major = 2;
            probe.minor = 3;
        } else {
            const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
            probe.rawAnswer.assign(http.begin(), http.end());
        }
        probe.start();
        auto s = Session::live(o);
        QVERIFY(stepUntil(*s, [&] { return s->state().finished(); }));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Refused);
        QCOMPARE(int(s->state().refusal), kind);
        QVERIFY2(s->state().message.find(probe.target()) != std::string::npos, s->state().message.c_str());
        if (kind == int(SessionState::Refusal::VersionMismatch)) {
            QCOMPARE(s->state().serverMajor, 2);
            QCOMPARE(s->state().serverMinor, 3);
            QCOMPARE(s->state().clientMajor, protocol::kVersionMajor);
        }
        if (kind == int(SessionState::Refusal::BadToken)) {
            // The right token: the same session connects.
            s->setToken("right");
            QVERIFY2(stepUntil(*s, [&] { return s->state().kind == SessionState::Kind::Live; }), s->state().message.c_str());
        }
    }

    void vanishMidKeyframeIsLostWithTheLastTreeKept() {
        FakeProbe probe;
        Welcome w;
        w.startNs = kStart;
        probe.rawAnswer = *Codec::encodeFrame(w, Encoding::Json);
        auto kf = *Codec::encodeFrame(testing::sampleKeyframe(kStart), Encoding::Json);
        probe.rawAnswer.insert(probe.rawAnswer.end(), kf.begin(), kf.end());
        Keyframe bigger = testing::sampleKeyframe(kStart);
        bigger.processes.push_back(testing::rec(50, 1, "extra"));
        auto half = *Codec::encodeFrame(bigger, Encoding::Json);
        probe.rawAnswer.insert(probe.rawAnswer.end(), half.begin(), half.begin() + std::ptrdiff_t(half.size() / 2));
        probe.start();
        auto o = optionsFor(probe);
        o.encoding = Encoding::Json;
        auto s = Session::live(o);
        QVERIFY(stepUntil(*s, [&] { return s->state().finished(); }));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Lost);
        QVERIFY2(s->state().message.find("mid-frame") != std::string::npos, s->state().message.c_str());
        QCOMPARE(s->model().snapshot().processes.size(), std::size_t(5));
        QVERIFY(!s->model().snapshot().find(50));
    }

    void probeClosingBeforeAKeyframeIsLost() {
        FakeProbe probe;
        probe.closeAfterScript = true;
        probe.start();
        auto s = Session::live(optionsFor(probe));
        QVERIFY(stepUntil(*s, [&] { return s->state().finished(); }));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Lost);
        QVERIFY2(s->state().message.find("before sending a keyframe") != std::string::npos, s->state().message.c_str());
    }

    void resyncFlashesNothing() {
        FakeProbe probe;
        probe.startNs = kStart;
        probe.script.push_back(testing::sampleKeyframe(kStart));
        auto ds = testing::sampleDeltas(kStart);
        SessionModel truth;
        truth.setStartNs(kStart);
        truth.applyKeyframe(testing::sampleKeyframe(kStart));
        for (int i = 0; i < 3; ++i) {
            probe.script.push_back(ds[std::size_t(i)]);
            truth.applyDelta(ds[std::size_t(i)]);
        }
        probe.script.push_back(ResyncNotice{7, "queue_overflow"});
        Keyframe again = testing::sampleKeyframe(kStart); // the tree after the three deltas, as a probe sends it
        again.processes[1] = testing::rec(6, 1, "registry");
        again.processes[1].name = "registry";
        again.processes[1].initialCall = "Registry";
        again.processes[1].startOrder = 6; // a probe numbers by pid: the model keeps the slot's place
        again.seq = 3;
        again.timeNs = kStart + 2 * kSecond;
        probe.script.push_back(again);
        probe.start();
        auto s = Session::live(optionsFor(probe));
        ChangeSet afterResync;
        bool sawResync = false;
        QVERIFY(stepUntil(*s, [&] { return s->state().resyncs == 1 && s->state().kind == SessionState::Kind::Live; },
                          [&](ChangeSet& c) {
                              if (s->state().resyncs == 1 && !sawResync) sawResync = true;
                              else if (sawResync) afterResync.append(std::move(c));
                          }));
        QCOMPARE(s->state().drops, std::uint64_t(7));
        QVERIFY(!afterResync.reset);
        QVERIFY2(afterResync.spawned.empty() && afterResync.exited.empty() && afterResync.restarted.empty(),
                 "a keyframe of an unchanged tree must not re-flash it");
        QCOMPARE(s->model().snapshot().childrenOf(1), (std::vector<std::uint64_t>{6, 3}));
    }

    void bigResyncKeepsTheSessionLive() {
        // G2's forced resync in small: a keyframe over 1 MiB, deltas, a resync notice and a second big
        // keyframe with deltas queued right behind it, the connection left open. The session stays
        // live and applies everything (it used to drop the connection once the big keyframe was
        // whole, and then report "not connecting").
        FakeProbe probe;
        probe.startNs = kStart;
        auto spawn = [](std::uint64_t seq) {
            return testing::delta(seq, kStart + std::int64_t(seq), DeltaType::Spawn, 1'000'000 + seq, 3, "Worker");
        };
        Codec::appendFrame(probe.scriptFrames, testing::bigKeyframe(kStart, 12000, 0), Encoding::Cbor);
        for (std::uint64_t seq = 1; seq <= 5; ++seq) Codec::appendFrame(probe.scriptFrames, spawn(seq), Encoding::Cbor);
        Codec::appendFrame(probe.scriptFrames, ResyncNotice{1234, "queue_overflow"}, Encoding::Cbor);
        Keyframe again = testing::bigKeyframe(kStart, 12000, 5);
        again.timeNs = kStart + 5;
        for (std::uint64_t seq = 1; seq <= 5; ++seq) again.processes.push_back(testing::rec(1'000'000 + seq, 3, ""));
        Codec::appendFrame(probe.scriptFrames, again, Encoding::Cbor);
        for (std::uint64_t seq = 6; seq <= 10; ++seq) Codec::appendFrame(probe.scriptFrames, spawn(seq), Encoding::Cbor);
        probe.start();
        auto s = Session::live(optionsFor(probe));
        const bool done = stepUntil(*s, [&] {
            return s->state().finished() || (s->model().lastSeq() == 10 && s->state().kind == SessionState::Kind::Live);
        });
        QVERIFY2(done, s->state().message.c_str());
        QVERIFY2(!s->state().finished(), s->state().message.c_str());
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Live);
        QCOMPARE(s->state().resyncs, std::uint64_t(1));
        QCOMPARE(s->model().snapshot().processes.size(), std::size_t(5 + 12000 + 10));
        QVERIFY(s->model().snapshot().find(1'000'010));
    }

    void framesBufferedAtACloseAreAppliedBeforeTheEnd() {
        // A big keyframe and many deltas, then the probe closes: the close is seen while frames are
        // still buffered and the step's time runs out before they are all applied. The next steps
        // apply the rest, in order, and only then is the session Ended, for that reason (it used to
        // advance the closed connection again: "not connecting").
        FakeProbe probe;
        probe.startNs = kStart;
        probe.closeAfterScript = true;
        constexpr std::uint64_t kDeltas = 20000;
        Codec::appendFrame(probe.scriptFrames, testing::bigKeyframe(kStart, 12000, 0), Encoding::Cbor);
        for (std::uint64_t seq = 1; seq <= kDeltas; ++seq)
            Codec::appendFrame(probe.scriptFrames,
                               testing::delta(seq, kStart + std::int64_t(seq), DeltaType::Spawn, 1'000'000 + seq, 3, "Worker"),
                               Encoding::Cbor);
        probe.start();
        auto s = Session::live(optionsFor(probe));
        std::uint64_t seqBefore = 0;
        bool inOrder = true;
        QVERIFY2(stepUntil(*s, [&] { return s->state().finished(); },
                           [&](ChangeSet&) {
                               inOrder = inOrder && s->model().lastSeq() >= seqBefore;
                               seqBefore = s->model().lastSeq();
                           }),
                 s->state().message.c_str());
        QVERIFY(inOrder);
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Ended);
        QCOMPARE(s->state().reason, std::string("the probe closed the connection"));
        QCOMPARE(s->model().lastSeq(), kDeltas);
        QCOMPARE(s->model().snapshot().processes.size(), std::size_t(5 + 12000 + kDeltas));
        QVERIFY(s->model().snapshot().find(1'000'000 + kDeltas));
    }

    void gapAsksForAKeyframe() {
        FakeProbe probe;
        probe.startNs = kStart;
        auto ds = testing::sampleDeltas(kStart);
        probe.script = {testing::sampleKeyframe(kStart), ds[0], ds[3]};
        probe.start();
        auto s = Session::live(optionsFor(probe));
        QVERIFY(stepUntil(*s, [&] { return s->state().kind == SessionState::Kind::Resyncing; }));
        QCOMPARE(s->state().reason, std::string("gap"));
        QTRY_VERIFY_WITH_TIMEOUT(!probe.received().empty(), 5000);
        QVERIFY(std::holds_alternative<KeyframeRequest>(probe.received().front()));
    }

    void silenceIsStaleThenLiveAgain() {
        FakeProbe probe;
        probe.startNs = kStart;
        probe.script = {testing::sampleKeyframe(kStart)};
        probe.start();
        auto o = optionsFor(probe);
        o.staleAfterMs = 100;
        auto s = Session::live(o);
        QVERIFY(stepUntil(*s, [&] { return s->state().kind == SessionState::Kind::Live; }));
        QVERIFY(stepUntil(*s, [&] { return s->state().kind == SessionState::Kind::Stale; }));
        QCOMPARE(s->model().snapshot().processes.size(), std::size_t(5));
    }

    void stepReturnsWithinItsTimeoutWhileConnecting() {
        // Listening but never answering: the kernel completes the connection, the hello goes
        // unanswered. Each step must come back; the connect deadline then makes it Lost.
        FakeProbe silent; // not started: nobody accepts or answers
        auto o = optionsFor(silent);
        o.connectTimeoutMs = 300;
        auto s = Session::live(o);
        const auto t0 = Clock::now();
        s->step(50);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
        QVERIFY2(took < 250, qPrintable(QString("step(50) took %1 ms").arg(took)));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Connecting);
        QVERIFY(stepUntil(*s, [&] { return s->state().finished(); }));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Lost);
        QVERIFY2(s->state().message.find("300 ms") != std::string::npos, s->state().message.c_str());
    }

    void endedThenReconnectDiffsTheFirstKeyframe() {
        FakeProbe probe;
        script(probe);
        probe.closeAfterScript = true;
        probe.start();
        auto s = Session::live(optionsFor(probe));
        QVERIFY(stepUntil(*s, [&] { return s->state().finished(); }));
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Ended);
        QCOMPARE(s->model().lastSeq(), std::uint64_t(10));
        s->reconnect();
        QCOMPARE_KIND(s->state().kind, SessionState::Kind::Connecting);
        ChangeSet first;
        bool gotFirst = false;
        QVERIFY(stepUntil(*s, [&] { return gotFirst; }, [&](ChangeSet& c) {
            if (!gotFirst && (c.structureChanged() || !c.empty())) {
                first = std::move(c);
                gotFirst = true;
            }
        }));
        QVERIFY2(!first.reset, "the keyframe after a reconnect is diffed against the last tree");
        // The keyframe is the start of the script: the registry slot runs pid 2 again (8 -> 2).
        QVERIFY(!first.restarted.empty());
        QCOMPARE(first.restarted[0].oldPid, std::uint64_t(8));
        QCOMPARE(first.restarted[0].newPid, std::uint64_t(2));
    }

    void recordingTeeAndOpenRecorded() {
        FakeProbe probe;
        script(probe);
        probe.start();
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/rec.canopy").toStdString();
        auto s = Session::live(optionsFor(probe));
        QVERIFY(stepUntil(*s, [&] { return s->model().hasBase(); }));
        QVERIFY(s->startRecording(path).ok());
        QVERIFY(s->recording());
        QVERIFY(stepUntil(*s, [&] { return s->model().lastSeq() == 10; }));
        auto replay = s->openRecorded();
        QVERIFY2(replay.ok(), replay.error().c_str());
        QVERIFY((*replay)->isFile());
        (*replay)->step(0);
        QCOMPARE((*replay)->model().snapshot().processes.size(), s->model().snapshot().processes.size());
        QVERIFY((*replay)->model().snapshot().find(8));
        QVERIFY((*replay)->warnings().empty());
        QVERIFY(s->stopRecording().ok());
        auto file = Session::openFile(path);
        QVERIFY2(file.ok(), file.error().c_str());
        ChangeSet end = (*file)->seek((*file)->durationNs());
        QVERIFY((*file)->model().snapshot().find(8));
        QCOMPARE((*file)->model().restartsOf(1, "registry"), 2);
    }

    void fileSeekBackAndForthMatchesSnapshots() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/s.canopy").toStdString();
        {
            SessionWriter w;
            SessionHeader h;
            h.startNs = kStart;
            SessionWriter::Options o;
            o.keyframeEveryDeltas = 3;
            QVERIFY(w.open(path, h, o).ok());
            w.write(testing::sampleKeyframe(kStart));
            for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
            QVERIFY(w.close().ok());
        }
        auto opened = Session::openFile(path);
        QVERIFY2(opened.ok(), opened.error().c_str());
        Session& s = **opened;
        QCOMPARE_KIND(s.state().kind, SessionState::Kind::Replay);
        ChangeSet first = s.step(0);
        QVERIFY(first.reset);
        QCOMPARE(s.model().snapshot().processes.size(), std::size_t(5));
        SessionReader reader;
        QVERIFY(reader.open(path).ok());
        // Apply the change sets to a mirror of the pid set; it must always equal the model's.
        std::set<std::uint64_t> mirror;
        for (const auto& [pid, r] : s.model().snapshot().processes) mirror.insert(pid);
        auto follow = [&](const ChangeSet& c) {
            QVERIFY(!c.reset);
            // Within one change set a process may come and go (playing forward): spawns first.
            for (auto pid : c.spawned) QVERIFY(mirror.insert(pid).second);
            for (const auto& e : c.exited) QVERIFY(mirror.erase(e.record.pid) == 1);
        };
        for (std::int64_t t : {4 * kSecond + 50, kSecond / 2, 3 * kSecond + 5, 2 * kSecond, 0 * kSecond, 4 * kSecond + 50}) {
            ChangeSet c = s.seek(t);
            follow(c);
            auto snap = reader.snapshotAt(t);
            QVERIFY(snap.ok());
            std::set<std::uint64_t> expected;
            for (const auto& [pid, r] : snap->processes) expected.insert(pid);
            std::set<std::uint64_t> have;
            for (const auto& [pid, r] : s.model().snapshot().processes) have.insert(pid);
            QCOMPARE(have, expected);
            QCOMPARE(mirror, expected);
            QCOMPARE(s.timeNs(), std::min(t, s.durationNs()));
        }
        QCOMPARE_KIND(s.state().kind, SessionState::Kind::Ended);
        // Play forward in small steps from the start: restarts come as restarts, in order.
        follow(s.seek(0));
        std::vector<std::uint64_t> newPids;
        for (std::int64_t t = 0; t <= 5 * kSecond; t += kSecond / 4) {
            ChangeSet c = s.advanceTo(t);
            follow(c);
            for (const auto& r : c.restarted) newPids.push_back(r.newPid);
        }
        QCOMPARE(newPids, (std::vector<std::uint64_t>{6, 8}));
        QCOMPARE_KIND(s.state().kind, SessionState::Kind::Ended);
    }

    void badFileIsOneClearError() {
        auto r = Session::openFile("/nonexistent/x.canopy");
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains("/nonexistent/x.canopy"), r.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
