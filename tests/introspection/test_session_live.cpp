// Session change sets against a real probe: `canopy-demo todo --chaos` (workers crash and are
// restarted, dynamic children come and go). The change sets must follow the model exactly, restarts
// must name the old and the new pid of one slot, slots keep their place among their siblings, and a
// keyframe asked for in the middle (a resync) must not re-flash processes that did not change.
#include "introspection/process_paths.h"
#include "introspection/session.h"
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <fstream>
#include <map>
#include <set>

using namespace canopy::introspection;

namespace {
using Clock = std::chrono::steady_clock;

std::set<std::uint64_t> pidsOf(const Session& s) {
    std::set<std::uint64_t> out;
    for (const auto& [pid, r] : s.model().snapshot().processes) out.insert(pid);
    return out;
}

/// Child ids of each static supervisor's slots (running or not), in sibling order.
std::map<std::uint64_t, std::vector<std::string>> slotOrder(const TreeSnapshot& snap) {
    std::map<std::uint64_t, std::vector<std::string>> out;
    for (const auto& [pid, r] : snap.processes) {
        if (r.kind != "supervisor") continue;
        for (const ProcessRecord* c : ProcessPaths::siblingsOf(snap, pid))
            if (!c->childId.empty()) out[pid].push_back(c->childId);
    }
    return out;
}
} // namespace

class TestSessionLive : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_demo;
    std::uint16_t m_port = 0;

    /// Follows change sets on a mirror of the pid set; fails on a spawn of a known pid or an exit of
    /// an unknown one.
    struct Mirror {
        std::set<std::uint64_t> pids;
        bool ok = true;
        std::string problem;
        void apply(const ChangeSet& c, const Session& s) {
            if (c.reset) {
                pids = pidsOf(s);
                return;
            }
            for (auto pid : c.spawned)
                if (!pids.insert(pid).second && ok) {
                    ok = false;
                    problem = "spawned twice: " + std::to_string(pid);
                }
            for (const auto& e : c.exited)
                if (pids.erase(e.record.pid) != 1 && ok) {
                    ok = false;
                    problem = "exited but not known: " + std::to_string(e.record.pid);
                }
        }
    };

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString portFile = m_dir.path() + "/port";
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", m_dir.path()); // the probe's token file goes here, not into the real home
        m_demo.setProcessEnvironment(env);
        m_demo.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_demo.start(QStringLiteral(CANOPY_DEMO_PATH),
                     {"todo", "--port", "0", "--port-file", portFile, "--token", "live-test", "--chaos", "4",
                      "--duration", "120", "--flight-dir", m_dir.path()});
        QVERIFY2(m_demo.waitForStarted(10000), "canopy-demo did not start");
        const auto until = Clock::now() + std::chrono::seconds(20);
        while (m_port == 0 && Clock::now() < until) {
            std::ifstream in(portFile.toStdString());
            int p = 0;
            if (in >> p && p > 0) m_port = static_cast<std::uint16_t>(p);
            else m_demo.waitForFinished(50); // returns at once if it died; otherwise a short wait
            QVERIFY2(m_demo.state() == QProcess::Running, "canopy-demo exited before writing its port");
        }
        QVERIFY2(m_port != 0, "canopy-demo wrote no port file within 20 s");
    }
    void cleanupTestCase() {
        if (m_demo.state() == QProcess::Running) {
            m_demo.terminate();
            if (!m_demo.waitForFinished(10000)) m_demo.kill();
        }
    }

    void changeSetsFollowTheModelUnderChaos() {
        Session::LiveOptions o;
        o.port = m_port;
        o.token = "live-test";
        o.sampleHz = 5;
        auto s = Session::live(o);
        Mirror mirror;
        std::vector<RestartedChild> restarts;
        std::size_t spawned = 0, exited = 0;
        auto pump = [&](std::chrono::milliseconds span) {
            const auto until = Clock::now() + span;
            while (Clock::now() < until && !s->state().finished()) {
                ChangeSet c = s->step(20);
                mirror.apply(c, *s);
                spawned += c.spawned.size();
                exited += c.exited.size();
                restarts.insert(restarts.end(), c.restarted.begin(), c.restarted.end());
                // Each restart's new pid is in the model under its supervisor, in the same slot.
                for (const auto& r : c.restarted) {
                    const ProcessRecord* now = s->model().snapshot().find(r.newPid);
                    if (now) {
                        QCOMPARE(now->parent, r.supervisor);
                        QCOMPARE(now->childId, r.childId);
                    }
                }
            }
        };
        const auto until = Clock::now() + std::chrono::seconds(10);
        while (s->state().kind != SessionState::Kind::Live && !s->state().finished() && Clock::now() < until) {
            ChangeSet c = s->step(50);
            mirror.apply(c, *s);
        }
        QVERIFY2(s->state().kind == SessionState::Kind::Live, s->state().message.c_str());
        const auto orderBefore = slotOrder(s->model().snapshot());
        QVERIFY(!orderBefore.empty());
        pump(std::chrono::seconds(4));
        QVERIFY2(mirror.ok, mirror.problem.c_str());
        QCOMPARE(mirror.pids, pidsOf(*s));
        QVERIFY2(spawned > 0 && exited > 0, "chaos should make children come and go");
        QVERIFY2(!restarts.empty(), "chaos should make supervisors restart children");
        bool oldAndNew = false;
        for (const auto& r : restarts) oldAndNew = oldAndNew || (r.oldPid != 0 && r.newPid != 0 && r.oldPid != r.newPid);
        QVERIFY2(oldAndNew, "a restart must name the pid that exited and the pid that replaced it");

        // Slots keep their place: each static supervisor still alive lists its child ids in the
        // same order as at the start.
        const auto orderAfter = slotOrder(s->model().snapshot());
        std::size_t compared = 0;
        for (const auto& [sup, ids] : orderBefore) {
            auto it = orderAfter.find(sup);
            if (it == orderAfter.end()) continue; // the supervisor itself was restarted
            QCOMPARE(it->second, ids);
            ++compared;
        }
        QVERIFY(compared > 0);

        // A keyframe in the middle of the stream (a resync): processes alive before and after it are
        // neither spawned nor exited again.
        const std::uint64_t resyncsBefore = s->state().resyncs;
        QVERIFY(s->requestKeyframe().ok());
        bool sawResync = false;
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < deadline && !s->state().finished()) {
            const auto before = pidsOf(*s);
            ChangeSet c = s->step(20);
            mirror.apply(c, *s);
            const auto after = pidsOf(*s);
            QVERIFY(!c.reset);
            for (auto pid : c.spawned) QVERIFY2(!before.count(pid), "a process alive before the resync was re-spawned");
            for (const auto& e : c.exited) QVERIFY2(!after.count(e.record.pid), "a process alive after the resync was re-exited");
            if (s->state().resyncs > resyncsBefore && s->state().kind == SessionState::Kind::Live) {
                sawResync = true;
                break;
            }
        }
        QVERIFY2(sawResync, "the probe did not answer the keyframe request");
        QVERIFY2(mirror.ok, mirror.problem.c_str());
        QCOMPARE(mirror.pids, pidsOf(*s));
        // The intensity window of every supervisor is counted from its restart times.
        for (const auto& [pid, r] : s->model().snapshot().processes)
            if (r.kind != "worker") QVERIFY(s->model().restartsInWindow(pid, s->timeNs()) <= std::max(r.maxRestarts, 0) + 1);
    }

    void recordingWhileLiveReplaysTheSameTree() {
        Session::LiveOptions o;
        o.port = m_port;
        o.token = "live-test";
        auto s = Session::live(o);
        const std::string path = (m_dir.path() + "/live.canopy").toStdString();
        QVERIFY(s->startRecording(path).ok());
        const auto until = Clock::now() + std::chrono::seconds(3);
        while (Clock::now() < until && !s->state().finished()) s->step(20);
        // (Chaos may end the demo: a stream that ended cleanly is recorded all the same.)
        QVERIFY2(s->model().hasBase() && s->state().kind != SessionState::Kind::Lost, s->state().message.c_str());
        auto replay = s->openRecorded();
        QVERIFY2(replay.ok(), replay.error().c_str());
        (*replay)->step(0);
        const auto warnings = (*replay)->warnings();
        QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings.front().c_str());
        // The replay's last moment is the model's tree when it was opened (the stream went on since).
        QVERIFY((*replay)->model().snapshot().processes.size() > 3);
        QVERIFY(s->stopRecording().ok());
        auto file = Session::openFile(path);
        QVERIFY2(file.ok(), file.error().c_str());
        (*file)->seek((*file)->durationNs());
        QCOMPARE(pidsOf(**file), pidsOf(*s));
    }
};

QTEST_GUILESS_MAIN(TestSessionLive)
#include "test_session_live.moc"
