#include "probe_test_support.h"
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "introspection/session_model.h"
#include "introspection/session_reader.h"
#include "http_get.h"
#include "raw_viewer.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <QtTest>
#include <atomic>
#include <thread>
#include <QTemporaryDir>
#include <arpa/inet.h>
#include <chrono>
#include <functional>
#include <netinet/in.h>
#include <random>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;
using WallClock = std::chrono::steady_clock;

namespace {


/// A viewer through the real client (LiveSource) feeding a SessionModel and logging what it saw.
struct Watch {
    LiveSource src;
    SessionModel model;
    std::vector<Delta> deltas;
    std::vector<Sample> samples;
    std::vector<ResyncNotice> resyncs;
    std::vector<CommandResult> results;
    int keyframes = 0;
    Keyframe lastKeyframe;

    Status connect(std::uint16_t port, const std::string& token, Encoding enc = Encoding::Json) {
        LiveSource::Options o;
        o.port = port;
        o.token = token;
        o.encoding = enc;
        o.client = "tst_probe";
        auto st = src.connect(o);
        if (st) model.setStartNs(src.startNs());
        return st;
    }
    /// Reads one message (false on timeout/end/error).
    bool pump(int ms) {
        WireMessage m;
        if (src.next(m, ms) != Source::Outcome::Message) return false;
        if (auto* d = std::get_if<Delta>(&m)) deltas.push_back(*d);
        else if (auto* k = std::get_if<Keyframe>(&m)) ++keyframes, lastKeyframe = *k;
        else if (auto* s = std::get_if<Sample>(&m)) samples.push_back(*s);
        else if (auto* r = std::get_if<ResyncNotice>(&m)) resyncs.push_back(*r);
        else if (auto* c = std::get_if<CommandResult>(&m)) results.push_back(*c);
        model.apply(m);
        return true;
    }
    bool until(const std::function<bool()>& pred, int ms = 5000) {
        const auto deadline = WallClock::now() + std::chrono::milliseconds(ms);
        while (!pred()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - WallClock::now()).count();
            if (left <= 0) return false;
            pump(int(std::min<long long>(left, 100)));
        }
        return true;
    }
    bool has(std::uint64_t pid) const { return model.snapshot().find(pid) != nullptr; }
    bool sawDelta(DeltaType t, std::uint64_t pid) const {
        for (const auto& d : deltas)
            if (d.type == t && d.pid == pid) return true;
        return false;
    }
    const Delta* find(DeltaType t, std::uint64_t pid) const {
        for (const auto& d : deltas)
            if (d.type == t && d.pid == pid) return &d;
        return nullptr;
    }
    /// True when the deltas seen since the last keyframe are numbered consecutively.
    bool consecutive() const {
        for (std::size_t i = 1; i < deltas.size(); ++i)
            if (deltas[i].seq != deltas[i - 1].seq + 1) return false;
        return true;
    }
};

ProbeOptions options(const QTemporaryDir& dir) {
    ProbeOptions o;
    o.token = "s3cret";
    o.flightRecorderDir = dir.path().toStdString();
    return o;
}

Pid spawnIdle(Runtime& rt, const std::string& name = {}) {
    SpawnOptions so;
    so.name = name;
    return rt.spawnFn([](Context&, Message&) {}, so);
}

SupervisorSpec supSpec(int children, int maxRestarts, int maxSeconds = 5, const std::string& prefix = "w") {
    SupervisorSpec spec;
    spec.flags.maxRestarts = maxRestarts;
    spec.flags.maxSeconds = maxSeconds;
    for (int i = 0; i < children; ++i) spec.children.push_back(ChildSpec::worker<Idle>(prefix + std::to_string(i)));
    return spec;
}


std::uint16_t freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

} // namespace

/// The in-process probe end to end over loopback: handshake, keyframe, deltas, queues, robustness.
class TestProbe : public QObject {
    Q_OBJECT
private slots:
    void keyframeThenDeltasForSpawnLinkExit() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Pid a = spawnIdle(rt, "alpha");
        Probe probe(rt, options(dir));
        QVERIFY(probe.port() != 0);
        Watch w;
        auto st = w.connect(probe.port(), "s3cret");
        QVERIFY2(st.ok(), st.error().c_str());
        QVERIFY(w.until([&] { return w.keyframes == 1; }));
        QVERIFY(w.has(a.id()));
        QCOMPARE(w.model.snapshot().find(a.id())->name, std::string("alpha"));

        Pid b = spawnIdle(rt);
        QVERIFY(w.until([&] { return w.sawDelta(DeltaType::Spawn, b.id()); }));
        QVERIFY(w.has(b.id()));
        Pid c = rt.spawnFn([b](Context& ctx, Message&) { ctx.link(b); });
        rt.send(c, 1);
        QVERIFY(w.until([&] { return w.sawDelta(DeltaType::Link, c.id()) || w.sawDelta(DeltaType::Link, b.id()); }));
        // The link is established once b has processed c's link signal.
        QVERIFY(waitUntil([&] {
            auto info = rt.info(b);
            return info && std::find(info->links.begin(), info->links.end(), c.id()) != info->links.end();
        }));
        rt.exit(b, ExitReason::kill());
        QVERIFY(w.until([&] { return w.sawDelta(DeltaType::Exit, b.id()) && w.sawDelta(DeltaType::Exit, c.id()); }));
        QCOMPARE(w.find(DeltaType::Exit, b.id())->reason, std::string("killed"));
        QCOMPARE(w.find(DeltaType::Exit, c.id())->reason, std::string("killed"));
        QVERIFY(!w.has(b.id()));
        QVERIFY(!w.has(c.id()));
        QVERIFY(w.consecutive());
        QCOMPARE(w.deltas.front().seq, w.lastKeyframe.seq + 1);
        QCOMPARE(w.model.gaps(), std::uint64_t(0));
    }

    void supervisorTreeAndRestartDeltas() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto sr = Supervisor::start(rt, supSpec(2, 10), "top_sup");
        QVERIFY(sr.isOk());
        Probe probe(rt, options(dir));
        Watch w;
        QVERIFY(w.connect(probe.port(), "s3cret").ok());
        QVERIFY(w.until([&] { return w.keyframes == 1; }));
        const auto* sup = w.model.snapshot().find(sr.pid.id());
        QVERIFY(sup);
        QCOMPARE(sup->kind, std::string("supervisor"));
        QCOMPARE(sup->strategy, std::string("one_for_one"));
        QCOMPARE(sup->maxRestarts, 10);
        QCOMPARE(w.model.snapshot().childrenOf(sr.pid.id()).size(), std::size_t(2));
        Pid w0 = childPid(rt, sr.pid, "w0");
        QVERIFY(w0);
        QCOMPARE(w.model.snapshot().find(w0.id())->childId, std::string("w0"));
        rt.exit(w0, ExitReason::error("boom"));
        const Delta* restarted = nullptr;
        QVERIFY(w.until([&] {
            for (const auto& d : w.deltas)
                if (d.type == DeltaType::ChildRestarted && d.text == "w0") restarted = &d;
            return restarted != nullptr;
        }));
        QCOMPARE(restarted->peer, sr.pid.id());
        QCOMPARE(restarted->strategy, std::string("one_for_one"));
        QCOMPARE(restarted->restartsInWindow, 1);
        QCOMPARE(restarted->maxRestarts, 10);
        QVERIFY(w.find(DeltaType::Exit, w0.id()));
        QCOMPARE(w.find(DeltaType::Exit, w0.id())->reason, std::string("boom"));
        QVERIFY(w.consecutive());
        QCOMPARE(w.model.snapshot().childrenOf(sr.pid.id()).size(), std::size_t(2));
    }

    void wrongTokenIsRefusedWithoutData() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        spawnIdle(rt, "secret_process");
        Probe probe(rt, options(dir));
        Watch w;
        auto st = w.connect(probe.port(), "wrong");
        QVERIFY(!st.ok());
        QVERIFY2(st.error().find("wrong token") != std::string::npos, st.error().c_str());

        RawViewer raw;
        QVERIFY(raw.connect(probe.port()));
        QVERIFY(raw.hello("wrong"));
        auto m = raw.next(5000);
        QVERIFY(m);
        auto* refusal = std::get_if<Refusal>(&*m);
        QVERIFY(refusal);
        QCOMPARE(refusal->code, std::string("bad_token"));
        QVERIFY(!raw.next(5000)); // nothing else: no welcome, no keyframe
        QVERIFY(raw.eof());

        RawViewer none;
        QVERIFY(none.connect(probe.port()));
        QVERIFY(none.hello(""));
        m = none.next(5000);
        QVERIFY(m && std::get_if<Refusal>(&*m));
        QVERIFY(std::get<Refusal>(*m).message.find("token is required") != std::string::npos);
    }

    void versionMismatchAnswersBothVersionsAndCloses() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Probe probe(rt, options(dir));
        RawViewer raw;
        QVERIFY(raw.connect(probe.port()));
        QVERIFY(raw.hello("s3cret", 2, 3));
        auto m = raw.next(5000);
        QVERIFY(m);
        auto* r = std::get_if<Refusal>(&*m);
        QVERIFY(r);
        QCOMPARE(r->code, std::string("version_mismatch"));
        QCOMPARE(r->serverMajor, protocol::kVersionMajor);
        QCOMPARE(r->serverMinor, protocol::kVersionMinor);
        QCOMPARE(r->clientMajor, 2);
        QCOMPARE(r->clientMinor, 3);
        const std::string ours = std::to_string(protocol::kVersionMajor) + "." + std::to_string(protocol::kVersionMinor);
        QVERIFY2(r->message.find("2.3") != std::string::npos && r->message.find(ours) != std::string::npos,
                 r->message.c_str());
        QVERIFY(raw.waitClosed(5000));

        RawViewer magic;
        QVERIFY(magic.connect(probe.port()));
        QVERIFY(magic.hello("s3cret", 1, 0, "json", "ERLANG"));
        m = magic.next(5000);
        QVERIFY(m && std::get_if<Refusal>(&*m));
        QCOMPARE(std::get<Refusal>(*m).code, std::string("bad_magic"));

        RawViewer enc;
        QVERIFY(enc.connect(probe.port()));
        QVERIFY(enc.hello("s3cret", 1, 0, "xml"));
        m = enc.next(5000);
        QVERIFY(m && std::get_if<Refusal>(&*m));
        QCOMPARE(std::get<Refusal>(*m).code, std::string("unsupported_encoding"));
    }

    void malformedFramesNeverCrashTheProbe() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Probe probe(rt, options(dir));
        {
            RawViewer http;
            QVERIFY(http.connect(probe.port()));
            const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
            QVERIFY(http.sendRaw(std::vector<std::uint8_t>(get.begin(), get.end())));
            auto m = http.next(5000);
            QVERIFY(m && std::get_if<Refusal>(&*m));
            QCOMPARE(std::get<Refusal>(*m).code, std::string("bad_hello"));
            QVERIFY(http.waitClosed(5000));
        }
        {
            RawViewer notHello;
            QVERIFY(notHello.connect(probe.port()));
            QVERIFY(notHello.send(KeyframeRequest{}));
            auto m = notHello.next(5000);
            QVERIFY(m && std::get_if<Refusal>(&*m));
        }
        {
            // After the handshake: a frame whose payload is not JSON closes the connection.
            RawViewer v;
            QVERIFY(v.connect(probe.port()));
            QVERIFY(v.hello("s3cret"));
            auto m = v.next(5000);
            QVERIFY(m && std::get_if<Welcome>(&*m));
            std::vector<std::uint8_t> bad{0, 0, 0, 5, 0, '{', 'x', 'x', ']', '!'};
            QVERIFY(v.sendRaw(bad));
            QVERIFY(v.waitClosed(5000));
        }
        std::mt19937 rng(4242);
        for (int i = 0; i < 200; ++i) {
            RawViewer v;
            QVERIFY(v.connect(probe.port()));
            std::vector<std::uint8_t> junk(1 + rng() % 300);
            for (auto& b : junk) b = std::uint8_t(rng());
            if (i % 3 == 0) { // a plausible header with random flags and payload
                junk.insert(junk.begin(), {0, 0, 0, std::uint8_t(junk.size()), std::uint8_t(rng() % 3)});
            }
            v.sendRaw(junk);
            v.close(i % 2 == 0);
        }
        QVERIFY(waitUntil([&] { return probe.viewerCount() == 0; }, 10000));
        Watch w;
        QVERIFY(w.connect(probe.port(), "s3cret").ok());
        QVERIFY(w.until([&] { return w.keyframes == 1; }));
        Pid p = spawnIdle(rt);
        QVERIFY(w.until([&] { return w.has(p.id()); }));
    }

    void viewerVanishingMidFrame() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        for (int i = 0; i < 20000; ++i) spawnIdle(rt);
        Probe probe(rt, options(dir));
        {
            RawViewer half;
            QVERIFY(half.connect(probe.port()));
            std::vector<std::uint8_t> frame;
            Hello h;
            h.token = "s3cret";
            Codec::appendFrame(frame, h, Encoding::Json);
            frame.resize(frame.size() / 2);
            QVERIFY(half.sendRaw(frame));
            half.close(true);
        }
        for (int i = 0; i < 5; ++i) {
            RawViewer v;
            QVERIFY(v.connect(probe.port()));
            QVERIFY(v.hello("s3cret"));
            QVERIFY(v.readSome(1000 + 3000 * i, 5000) > 0); // part of the 20k-process keyframe
            v.close(i % 2 == 0);
        }
        QVERIFY(waitUntil([&] { return probe.viewerCount() == 0; }, 10000));
        Pid p = spawnIdle(rt, "after");
        Watch w;
        QVERIFY(w.connect(probe.port(), "s3cret").ok());
        QVERIFY(w.until([&] { return w.keyframes == 1; }, 10000));
        QVERIFY(w.model.snapshot().processes.size() >= 20001);
        QVERIFY(w.has(p.id()));
    }

    void stalledViewerDoesNotSlowTheRuntimeAndResyncs() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto o = options(dir);
        o.viewerQueueLimit = 64;
        Probe probe(rt, o);
        RawViewer v;
        QVERIFY(v.connect(probe.port(), 4096));
        QVERIFY(v.hello("s3cret"));
        QVERIFY(v.next(5000)); // welcome
        auto kf = v.next(5000);
        QVERIFY(kf && std::get_if<Keyframe>(&*kf));
        // The viewer stops reading; the runtime churns 20k processes. (How long that takes with a
        // stalled viewer is a benchmark: bench/introspection/probe_stalled_viewer.cpp.)
        for (int i = 0; i < 20000; ++i) {
            Pid p = spawnIdle(rt);
            rt.exit(p, ExitReason::kill());
        }
        QVERIFY(rt.waitIdle(20000));
        // The probe keeps serving others meanwhile.
        Watch other;
        QVERIFY(other.connect(probe.port(), "s3cret").ok());
        QVERIFY(other.until([&] { return other.keyframes == 1; }));
        // The stalled viewer resumes: it must be told it lost events, then get a fresh keyframe.
        bool sawResync = false, sawKeyframeAfter = false;
        std::uint64_t kfSeq = 0, dropped = 0;
        QVERIFY(waitUntil([&] {
            auto m = v.next(200);
            if (!m) return false;
            if (auto* r = std::get_if<ResyncNotice>(&*m)) sawResync = true, dropped = r->dropped;
            if (auto* k = std::get_if<Keyframe>(&*m); k && sawResync) sawKeyframeAfter = true, kfSeq = k->seq;
            return sawKeyframeAfter;
        }, 20000));
        QVERIFY(dropped > 0);
        // Live again: a new event continues at kf.seq + 1 (after whatever was still queued).
        Pid fresh = spawnIdle(rt, "fresh");
        std::uint64_t expect = kfSeq + 1;
        bool found = false;
        QVERIFY(waitUntil([&] {
            auto m = v.next(200);
            if (!m) return false;
            if (auto* d = std::get_if<Delta>(&*m)) {
                if (d->seq != expect) qFatal("seq %llu, expected %llu", (unsigned long long)d->seq, (unsigned long long)expect);
                ++expect;
                if (d->pid == fresh.id() && d->type == DeltaType::Spawn) found = true;
            }
            if (auto* k = std::get_if<Keyframe>(&*m)) expect = k->seq + 1;
            return found;
        }, 10000));
    }

    void hundredConnectDisconnectCycles() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        for (int i = 0; i < 100; ++i) spawnIdle(rt);
        Probe probe(rt, options(dir));
        const auto count = rt.processCount();
        for (int i = 0; i < 100; ++i) {
            Watch w;
            QVERIFY(w.connect(probe.port(), "s3cret", i % 2 ? Encoding::Cbor : Encoding::Json).ok());
            QVERIFY(w.until([&] { return w.keyframes == 1; }));
            QCOMPARE(w.model.snapshot().processes.size(), count);
            w.src.close();
        }
        QVERIFY(waitUntil([&] { return probe.viewerCount() == 0; }, 10000));
        QCOMPARE(rt.processCount(), count);
    }

    void restartStormTwoViewersSeeTheSameOrderedEvents() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto sr = Supervisor::start(rt, supSpec(50, 100000, 1), "storm_sup");
        QVERIFY(sr.isOk());
        Probe probe(rt, options(dir));
        Watch a, b;
        QVERIFY(a.connect(probe.port(), "s3cret", Encoding::Json).ok());
        QVERIFY(b.connect(probe.port(), "s3cret", Encoding::Cbor).ok());
        QVERIFY(a.until([&] { return a.keyframes == 1; }));
        QVERIFY(b.until([&] { return b.keyframes == 1; }));
        constexpr int kRounds = 4;
        std::set<std::uint64_t> killed;
        for (int round = 0; round < kRounds; ++round) {
            // Every child is running a pid not killed before: kill each once.
            QVERIFY(waitUntil([&] {
                auto children = Supervisor::whichChildren(rt, sr.pid);
                if (children.size() != 50) return false;
                for (const auto& c : children)
                    if (!c.pid || killed.count(c.pid.id())) return false;
                return true;
            }, 10000));
            for (const auto& c : Supervisor::whichChildren(rt, sr.pid)) {
                killed.insert(c.pid.id());
                rt.exit(c.pid, ExitReason::kill());
            }
        }
        // Each kill in a round targets a running child; the supervisor restarts every one.
        auto restarts = [](const Watch& w) {
            int n = 0;
            for (const auto& d : w.deltas) n += d.type == DeltaType::ChildRestarted;
            return n;
        };
        QVERIFY(a.until([&] { return restarts(a) >= 50 * kRounds; }, 20000));
        QVERIFY(b.until([&] { return restarts(b) >= 50 * kRounds; }, 20000));
        // Drain both to the same point.
        Pid marker = spawnIdle(rt, "marker");
        QVERIFY(a.until([&] { return a.sawDelta(DeltaType::Spawn, marker.id()); }, 10000));
        QVERIFY(b.until([&] { return b.sawDelta(DeltaType::Spawn, marker.id()); }, 10000));
        QVERIFY(a.resyncs.empty());
        QVERIFY(b.resyncs.empty());
        QVERIFY(a.consecutive());
        QVERIFY(b.consecutive());
        QCOMPARE(a.deltas.size(), b.deltas.size());
        for (std::size_t i = 0; i < a.deltas.size(); ++i) {
            QVERIFY(a.deltas[i].type == b.deltas[i].type);
            QCOMPARE(a.deltas[i].pid, b.deltas[i].pid);
            QCOMPARE(a.deltas[i].peer, b.deltas[i].peer);
            QCOMPARE(a.deltas[i].text, b.deltas[i].text);
        }
        QCOMPARE(restarts(a), 50 * kRounds);
        QCOMPARE(a.model.gaps() + b.model.gaps(), std::uint64_t(0));
        QCOMPARE(a.model.snapshot().childrenOf(sr.pid.id()).size(), std::size_t(50));
    }

    void flightRecorderDumpsWhenASupervisorGivesUp() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto o = options(dir);
        o.flightRecorderEvents = 1000;
        Probe probe(rt, o);
        auto sr = Supervisor::start(rt, supSpec(2, 1, 60), "fragile_sup");
        QVERIFY(sr.isOk());
        Pid first = childPid(rt, sr.pid, "w0");
        rt.exit(first, ExitReason::error("crash_1"));
        QVERIFY(waitUntil([&] {
            Pid p = childPid(rt, sr.pid, "w0");
            return p && p != first;
        }));
        rt.exit(childPid(rt, sr.pid, "w0"), ExitReason::error("crash_2"));
        QVERIFY(rt.awaitExit(sr.pid, 5000));
        QVERIFY(waitUntil([&] { return !probe.flightRecorderFiles().empty(); }, 10000));
        const std::string path = probe.flightRecorderFiles().front();
        SessionReader reader;
        auto st = reader.open(path);
        QVERIFY2(st.ok(), st.error().c_str());
        QVERIFY(reader.warnings().empty());
        bool gaveUp = false, restarted = false, spawnedSup = false;
        SessionModel model;
        int gaps = 0;
        reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            if (auto* d = std::get_if<Delta>(&m)) {
                gaveUp |= d->type == DeltaType::SupervisorGaveUp && d->pid == sr.pid.id();
                restarted |= d->type == DeltaType::ChildRestarted;
                spawnedSup |= d->type == DeltaType::Spawn && d->pid == sr.pid.id();
            }
            gaps += model.apply(m) == SessionModel::Apply::Gap;
            return true;
        });
        QVERIFY(gaveUp);
        QVERIFY(restarted);
        QVERIFY(spawnedSup);
        QCOMPARE(gaps, 0);
        QVERIFY(reader.index().size() >= 2); // base keyframe + final keyframe
        // The tree just before the crash is replayable from the file: replayed up to the give-up,
        // the supervisor is there with its two children.
        SessionModel replay;
        std::size_t childrenBeforeCrash = 0;
        bool supBeforeCrash = false;
        reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            if (auto* d = std::get_if<Delta>(&m); d && d->type == DeltaType::SupervisorGaveUp) {
                supBeforeCrash = replay.snapshot().find(sr.pid.id()) != nullptr;
                for (const auto& [pid, r] : replay.snapshot().processes) childrenBeforeCrash += r.parent == sr.pid.id();
                return false;
            }
            replay.apply(m);
            return true;
        });
        QVERIFY2(supBeforeCrash, "replayed to the give-up, the tree has no fragile_sup");
        QVERIFY2(childrenBeforeCrash >= 1, qPrintable(QString("%1 children of fragile_sup before the crash").arg(childrenBeforeCrash)));
        // On request.
        const std::string requested = probe.dumpFlightRecorder("on request");
        QVERIFY(!requested.empty());
        SessionReader again;
        QVERIFY(again.open(requested).ok());
        QVERIFY(again.header().source.find("on request") != std::string::npos);
    }

    void commandsAreRefusedUnlessEnabled() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        Pid target = spawnIdle(rt, "target");
        {
            Probe probe(rt, options(dir));
            Watch w;
            QVERIFY(w.connect(probe.port(), "s3cret").ok());
            QVERIFY(!w.src.welcome().commandsEnabled);
            Command c;
            c.id = 7;
            c.action = "kill";
            c.pid = target.id();
            QVERIFY(w.src.send(c).ok());
            QVERIFY(w.until([&] { return !w.results.empty(); }));
            QCOMPARE(w.results[0].id, std::uint64_t(7));
            QVERIFY(!w.results[0].ok);
            QCOMPARE(w.results[0].message, std::string("commands are disabled"));
            QVERIFY(rt.alive(target));
        }
        auto o = options(dir);
        o.allowCommands = true;
        Probe probe(rt, o);
        auto sr = Supervisor::start(rt, supSpec(1, 10), "cmd_sup");
        QVERIFY(sr.isOk());
        Watch w;
        QVERIFY(w.connect(probe.port(), "s3cret").ok());
        QVERIFY(w.src.welcome().commandsEnabled);
        Command kill;
        kill.id = 1;
        kill.action = "kill";
        kill.pid = target.id();
        QVERIFY(w.src.send(kill).ok());
        Command term;
        term.id = 2;
        term.action = "terminate_child";
        term.supervisor = sr.pid.id();
        term.childId = "w0";
        QVERIFY(w.src.send(term).ok());
        QVERIFY(w.until([&] { return w.results.size() >= 2; }));
        QVERIFY(rt.awaitExit(target, 5000));
        Command restart;
        restart.id = 3;
        restart.action = "restart_child";
        restart.supervisor = sr.pid.id();
        restart.childId = "w0";
        QVERIFY(w.src.send(restart).ok());
        Command bogus;
        bogus.id = 4;
        bogus.action = "format_disk";
        QVERIFY(w.src.send(bogus).ok());
        QVERIFY(w.until([&] { return w.results.size() >= 4; }));
        for (const auto& r : w.results) {
            if (r.id == 4) QVERIFY(!r.ok);
            else QVERIFY2(r.ok, r.message.c_str());
        }
        QVERIFY(childPid(rt, sr.pid, "w0"));
    }

    void subtreeSubscriptionAndSamples() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto s1 = Supervisor::start(rt, supSpec(3, 10, 5, "a"), "sup_a");
        auto s2 = Supervisor::start(rt, supSpec(2, 10, 5, "b"), "sup_b");
        QVERIFY(s1.isOk() && s2.isOk());
        Probe probe(rt, options(dir));
        Watch w;
        QVERIFY(w.connect(probe.port(), "s3cret").ok());
        QVERIFY(w.until([&] { return w.keyframes == 1; }));
        Subscribe sub;
        sub.root = s2.pid.id();
        sub.sampleHz = 20;
        QVERIFY(w.src.send(sub).ok());
        QVERIFY(w.until([&] { return w.keyframes == 2; }));
        QCOMPARE(w.lastKeyframe.processes.size(), std::size_t(3));
        for (const auto& r : w.lastKeyframe.processes)
            QVERIFY(r.pid == s2.pid.id() || r.parent == s2.pid.id());
        const auto deltasBefore = w.deltas.size();
        // Outside the subtree: not streamed. Inside: streamed.
        rt.exit(childPid(rt, s1.pid, "a0"), ExitReason::error("outside"));
        rt.exit(childPid(rt, s2.pid, "b0"), ExitReason::error("inside"));
        QVERIFY(w.until([&] {
            for (std::size_t i = deltasBefore; i < w.deltas.size(); ++i)
                if (w.deltas[i].type == DeltaType::ChildRestarted && w.deltas[i].text == "b0") return true;
            return false;
        }));
        for (std::size_t i = deltasBefore; i < w.deltas.size(); ++i) QVERIFY(w.deltas[i].text != "a0");
        // Samples arrive at the chosen rate.
        const auto samplesBefore = w.samples.size();
        QVERIFY(w.until([&] { return w.samples.size() >= samplesBefore + 3; }, 5000));
        QCOMPARE(w.samples.back().processCount, std::uint64_t(rt.processCount()));
        // A mailbox that grows shows up in a sample, with the process's own length, and again when
        // it drains (samples carry what changed since the previous walk).
        Subscribe all;
        all.sampleHz = 20;
        QVERIFY(w.src.send(all).ok());
        std::atomic<bool> release{false}, blocked{false};
        struct Unblock { // a failed check must not leave a worker spinning (rt's destructor joins it)
            std::atomic<bool>& flag;
            ~Unblock() { flag = true; }
        } unblock{release};
        Pid busy = rt.spawnFn([&](Context&, Message& m) {
            if (m.is<std::string>()) {
                blocked = true;
                while (!release.load()) std::this_thread::yield();
            }
        });
        rt.send(busy, std::string("block"));
        QVERIFY(w.until([&] { return blocked.load(); }));
        for (int i = 0; i < 5; ++i) rt.send(busy, i);
        auto sampled = [&](std::int64_t length) {
            for (const auto& smp : w.samples)
                for (const auto& [pid, len] : smp.mailboxes)
                    if (pid == busy.id() && len == length) return true;
            return false;
        };
        QVERIFY(w.until([&] { return sampled(5); }, 5000));
        // The sample that carried the length also counted it in the total.
        bool totalCounted = false;
        for (const auto& smp : w.samples)
            for (const auto& [pid, len] : smp.mailboxes)
                if (pid == busy.id() && len == 5) totalCounted = totalCounted || smp.totalMailbox >= 5;
        QVERIFY(totalCounted);
        release = true;
        QVERIFY(w.until([&] { return sampled(0); }, 5000));
    }

    void metricsEndpointServesPrometheusText() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto sr = Supervisor::start(rt, supSpec(2, 10), "metrics_sup");
        QVERIFY(sr.isOk());
        auto o = options(dir);
        o.metricsPort = freePort();
        Probe probe(rt, o);
        QCOMPARE(probe.metricsPort(), *o.metricsPort);
        rt.exit(childPid(rt, sr.pid, "w1"), ExitReason::error("x"));
        QVERIFY(waitUntil([&] { return childPid(rt, sr.pid, "w1").valid(); }));
        QVERIFY(rt.waitIdle(5000));
        const std::string text = httpGet(probe.metricsPort());
        QVERIFY2(text.rfind("HTTP/1.0 200 OK", 0) == 0, text.c_str());
        const auto at = text.find("\ncanopy_processes ");
        QVERIFY(at != std::string::npos);
        const long reported = std::stol(text.substr(at + 18));
        QVERIFY2(std::labs(reported - long(rt.processCount())) <= 1, text.c_str()); // an exit may be in flight
        QVERIFY(text.find("canopy_mailbox_length_max ") != std::string::npos);
        QVERIFY2(text.find("canopy_supervisor_restarts_total{supervisor=\"metrics_sup\"} 1") != std::string::npos,
                 text.c_str());
    }

    void bindAndTokenPolicies() {
        QTemporaryDir dir;
        Runtime rt(twoWorkers());
        auto o = options(dir);
        o.bindAddress = "0.0.0.0";
        try {
            Probe probe(rt, o);
            QFAIL("a non-loopback bind without allowRemote must be refused");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("allowRemote") != std::string::npos, e.what());
        }
        o.bindAddress = "not-an-address";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, Probe(rt, o));

        // Generated token: written with mode 0600, and reused by the next probe (Erlang's cookie).
        ProbeOptions g;
        g.tokenFile = (dir.path() + "/token").toStdString();
        g.portFile = (dir.path() + "/port").toStdString();
        g.flightRecorderEvents = 0;
        std::string first;
        {
            Probe probe(rt, g);
            first = probe.token();
            QCOMPARE(first.size(), std::size_t(32));
            struct stat sb{};
            QCOMPARE(::stat(g.tokenFile.c_str(), &sb), 0);
            QCOMPARE(int(sb.st_mode & 0777), 0600);
            QFile pf(QString::fromStdString(g.portFile));
            QVERIFY(pf.open(QIODevice::ReadOnly));
            QCOMPARE(pf.readAll().trimmed().toInt(), int(probe.port()));
            Watch w;
            QVERIFY(w.connect(probe.port(), first).ok());
        }
        Probe again(rt, g);
        QCOMPARE(again.token(), first);
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
