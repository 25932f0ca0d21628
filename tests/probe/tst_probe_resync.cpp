// The probe's ways back to a consistent viewer: a viewer's keyframe_request (sent after it saw a
// sequence gap) is answered with a fresh keyframe; the runtime outrunning the probe's event queue
// resynchronises every viewer; and hellos of the same major version with another minor are welcome.
#include "introspection/probe/probe.h"
#include "introspection/protocol.h"
#include "introspection/session_model.h"
#include "probe_test_support.h"
#include "raw_viewer.h"
#include "runtime/runtime.h"
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <mutex>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;

namespace {


/// A process that does nothing.
struct IdleActor final : Actor {
    void onMessage(Context&, Message&) override {}
};

/// A raw viewer feeding a SessionModel: what it saw, and the tree it holds.
struct Follower {
    RawViewer raw;
    SessionModel model;
    std::vector<ResyncNotice> resyncs;
    int keyframes = 0;
    std::uint64_t lastDeltaSeq = 0;

    /// Connects and says hello; true once the welcome and the first keyframe arrived.
    bool start(std::uint16_t port, int minor = protocol::kVersionMinor) {
        if (!raw.connect(port) || !raw.hello("s3cret", protocol::kVersionMajor, minor)) return false;
        auto w = raw.next(5000);
        if (!w || !std::holds_alternative<Welcome>(*w)) return false;
        model.setStartNs(std::get<Welcome>(*w).startNs);
        return until([&] { return keyframes >= 1; }, 5000);
    }
    /// Reads and applies messages until pred holds or ms passed.
    bool until(const std::function<bool()>& pred, int ms) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!pred()) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0) return false;
            auto m = raw.next(int(std::min<long long>(left, 100)));
            if (!m) {
                if (raw.eof()) return false;
                continue;
            }
            if (auto* r = std::get_if<ResyncNotice>(&*m)) resyncs.push_back(*r);
            if (std::holds_alternative<Keyframe>(*m)) ++keyframes;
            if (auto* d = std::get_if<Delta>(&*m)) lastDeltaSeq = d->seq;
            model.apply(*m);
        }
        return true;
    }
    bool has(std::uint64_t pid) const { return model.snapshot().find(pid) != nullptr; }
};

} // namespace

class TestProbeResync : public QObject {
    Q_OBJECT
private slots:
    void keyframeRequestIsAnsweredWithAFreshKeyframe() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Probe probe(rt, optionsIn(dir.path().toStdString()));
        Follower f;
        QVERIFY(f.start(probe.port()));
        Pid p = rt.spawnFn([](Context&, Message&) {});
        QVERIFY2(f.until([&] { return f.has(p.id()); }, 5000), "the spawn delta did not arrive");
        // The viewer saw a gap (as Session does on one) and asks for the tree again.
        const int before = f.keyframes;
        QVERIFY(f.raw.send(KeyframeRequest{}));
        QVERIFY2(f.until([&] { return f.keyframes > before; }, 5000), "no keyframe after keyframe_request");
        QCOMPARE(f.resyncs.size(), std::size_t(1));
        QCOMPARE(f.resyncs.front().reason, std::string("requested"));
        QVERIFY(f.has(p.id()));
        QVERIFY(!f.model.needsKeyframe());
        // The stream goes on after it, numbered on from the keyframe.
        Pid q = rt.spawnFn([](Context&, Message&) {});
        QVERIFY2(f.until([&] { return f.has(q.id()); }, 5000), "no delta after the keyframe");
        QCOMPARE(f.model.gaps(), std::uint64_t(0));
    }

    void helloOfAnotherMinorVersionIsWelcome_data() {
        QTest::addColumn<int>("minor");
        QTest::newRow("older minor") << 0;
        QTest::newRow("same minor") << protocol::kVersionMinor;
        QTest::newRow("later minor") << protocol::kVersionMinor + 5;
    }
    void helloOfAnotherMinorVersionIsWelcome() {
        QFETCH(int, minor);
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Pid a = rt.spawnFn([](Context&, Message&) {});
        Probe probe(rt, optionsIn(dir.path().toStdString()));
        RawViewer raw;
        QVERIFY(raw.connect(probe.port()));
        QVERIFY(raw.hello("s3cret", protocol::kVersionMajor, minor));
        auto w = raw.next(5000);
        QVERIFY(w);
        QVERIFY2(std::holds_alternative<Welcome>(*w), std::holds_alternative<Refusal>(*w)
                                                           ? std::get<Refusal>(*w).message.c_str()
                                                           : "not a welcome");
        QCOMPARE(std::get<Welcome>(*w).versionMajor, protocol::kVersionMajor);
        QCOMPARE(std::get<Welcome>(*w).versionMinor, protocol::kVersionMinor); // the probe's own
        auto k = raw.next(5000);
        QVERIFY(k && std::holds_alternative<Keyframe>(*k));
        bool found = false;
        for (const auto& r : std::get<Keyframe>(*k).processes) found |= r.pid == a.id();
        QVERIFY(found);
    }

    void eventQueueOverflowResyncsEveryViewer_data() {
        QTest::addColumn<bool>("smallQueue");
        QTest::newRow("queue of 1 event") << true;
        QTest::newRow("default queue (control)") << false;
    }
    void eventQueueOverflowResyncsEveryViewer() {
        // The runtime hands events to the probe's thread through a bounded queue (eventQueueLimit).
        // A burst past the limit loses events: every viewer is told (resync, queue_overflow) and
        // gets a keyframe, so its tree ends equal to the runtime's. With the default limit the same
        // burst arrives whole, as deltas.
        QFETCH(bool, smallQueue);
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        ProbeOptions o = optionsIn(dir.path().toStdString());
        o.viewerQueueLimit = std::size_t(1) << 20; // the viewers' own queues never overflow here
        if (smallQueue) o.eventQueueLimit = 1;
        Probe probe(rt, o);
        Follower a, b;
        QVERIFY(a.start(probe.port()));
        QVERIFY(b.start(probe.port()));
        // Two processes (one per worker) each spawn 2,500 idle children at once: a few ms of events.
        constexpr int kPerSpawner = 2500;
        auto spawned = std::make_shared<std::vector<Pid>>();
        auto lock = std::make_shared<std::mutex>();
        std::vector<Pid> spawners;
        for (int s = 0; s < 2; ++s)
            spawners.push_back(rt.spawnFn([spawned, lock](Context& ctx, Message&) {
                std::vector<Pid> mine;
                for (int i = 0; i < kPerSpawner; ++i) mine.push_back(ctx.spawn(std::make_unique<IdleActor>()));
                std::lock_guard g(*lock);
                spawned->insert(spawned->end(), mine.begin(), mine.end());
            }));
        for (const Pid& s : spawners) rt.send(s, 0);
        QVERIFY(rt.waitIdle(20000));
        QCOMPARE(spawned->size(), std::size_t(2 * kPerSpawner));
        for (Follower* f : {&a, &b}) {
            QVERIFY2(f->until([&] { return f->model.snapshot().processes.size() == rt.processCount(); }, 20000),
                     qPrintable(QString("viewer: %1 processes, runtime: %2, resyncs seen: %3")
                                    .arg(f->model.snapshot().processes.size()).arg(rt.processCount())
                                    .arg(f->resyncs.size())));
            for (const Pid& p : *spawned) QVERIFY(f->has(p.id()));
            if (smallQueue) {
                QVERIFY2(!f->resyncs.empty(), "the overflow was not reported to the viewer");
                QCOMPARE(f->resyncs.front().reason, std::string("queue_overflow"));
                QVERIFY(f->keyframes >= 2);
            } else {
                QVERIFY2(f->resyncs.empty(), f->resyncs.empty() ? "" : f->resyncs.front().reason.c_str());
                QCOMPARE(f->keyframes, 1);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestProbeResync)
#include "tst_probe_resync.moc"
