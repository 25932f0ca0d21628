// The flight recorder's ring and triggers: two generations bound what it keeps (at least N events,
// at most 2N, always replayable from a base keyframe), old generations age out; a crash that fires
// the trigger twice (an inner supervisor gives up, then its parent) is one file while the probe lives on. (A killed
// root's dump and the dump pending at teardown: tst_flight_dumps.)
#include "introspection/codec.h"
#include "introspection/probe/flight_recorder.h"
#include "introspection/probe/probe.h"
#include "introspection/session_model.h"
#include "introspection/session_reader.h"
#include "probe_test_support.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;

namespace {

ProbeOptions options(const QTemporaryDir& dir) {
    ProbeOptions o = optionsIn(dir.path().toStdString());
    o.flightRecorderEvents = 1000;
    return o;
}

QStringList dumpsIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList({"canopy-flight-*.canopy"}, QDir::Files, QDir::Name);
}

/// A keyframe frame (CBOR, as the probe encodes its bases) of `processes` pids 1..n at `seq`.
std::vector<std::uint8_t> baseFrame(std::uint64_t seq, std::int64_t timeNs, std::uint64_t processes) {
    Keyframe k;
    k.seq = seq;
    k.timeNs = timeNs;
    for (std::uint64_t pid = 1; pid <= processes; ++pid) {
        ProcessRecord r;
        r.pid = pid;
        r.name = "p" + std::to_string(pid);
        k.processes.push_back(r);
    }
    std::vector<std::uint8_t> frame;
    Codec::appendFrame(frame, k, Encoding::Cbor);
    return frame;
}

/// Deltas (by seq) and keyframes in a session file, and whether its replay has gaps.
struct FileContents {
    std::vector<std::uint64_t> deltaSeqs;
    int keyframes = 0;
    std::uint64_t gaps = 0;
    std::size_t finalProcesses = 0;
    std::vector<std::string> warnings;
};

FileContents readFile(const std::string& path) {
    FileContents c;
    SessionReader r;
    if (!r.open(path).ok()) return c;
    SessionModel model;
    r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
        if (auto* d = std::get_if<Delta>(&m)) c.deltaSeqs.push_back(d->seq);
        c.keyframes += std::holds_alternative<Keyframe>(m);
        model.apply(m);
        return true;
    });
    c.gaps = model.gaps();
    c.finalProcesses = model.snapshot().processes.size();
    c.warnings = r.warnings();
    return c;
}

} // namespace

class TestFlightRecorder : public QObject {
    Q_OBJECT
private slots:
    void twoGenerationsBoundTheRing() {
        // N = 100: the owner rebases whenever the recorder asks (as the probe does). After 250
        // events the ring holds the older generation (a base + up to N events) and the current one:
        // at least N and at most 2N events, the newest always among them, replayable without a gap.
        constexpr std::size_t kN = 100;
        FlightRecorder fr(kN, 3600);
        QVERIFY(fr.needsRebase(0)); // no base yet
        std::int64_t t = 1'000'000'000;
        std::uint64_t spawned = 3;
        fr.rebase(baseFrame(fr.seq(), t, spawned), t);
        QVERIFY(!fr.needsRebase(t));
        for (int i = 0; i < 250; ++i) {
            Delta d;
            d.timeNs = ++t;
            d.type = DeltaType::Spawn;
            d.pid = ++spawned;
            fr.record(d);
            QCOMPARE(d.seq, std::uint64_t(i + 1)); // numbered by the recorder
            QVERIFY2(fr.size() <= 2 * kN, qPrintable(QString("%1 events held").arg(fr.size())));
            if (fr.needsRebase(t)) fr.rebase(baseFrame(fr.seq(), t, spawned), t);
        }
        QVERIFY2(fr.size() >= kN && fr.size() <= 2 * kN, qPrintable(QString("%1 events held").arg(fr.size())));
        QCOMPARE(fr.lost(), std::uint64_t(0));
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/ring.canopy").toStdString();
        SessionHeader h;
        h.startNs = fr.startNs();
        Keyframe last = [&] {
            Keyframe k;
            for (std::uint64_t pid = 1; pid <= spawned; ++pid) {
                ProcessRecord r;
                r.pid = pid;
                k.processes.push_back(r);
            }
            k.timeNs = t;
            return k;
        }();
        QVERIFY(fr.write(path, h, last).ok());
        const FileContents c = readFile(path);
        QVERIFY2(c.warnings.empty(), c.warnings.empty() ? "" : c.warnings.front().c_str());
        QVERIFY2(c.deltaSeqs.size() >= kN && c.deltaSeqs.size() <= 2 * kN, qPrintable(QString::number(c.deltaSeqs.size())));
        QCOMPARE(c.deltaSeqs.back(), std::uint64_t(250));
        for (std::size_t i = 1; i < c.deltaSeqs.size(); ++i) QCOMPARE(c.deltaSeqs[i], c.deltaSeqs[i - 1] + 1);
        QCOMPARE(c.gaps, std::uint64_t(0));
        QCOMPARE(c.finalProcesses, std::size_t(spawned));
        QVERIFY(c.keyframes >= 2); // the older base, (the newer base,) the final tree
    }

    void oldGenerationsAgeOut() {
        // The time window: a generation older than S seconds (with events) asks for a rebase too.
        FlightRecorder fr(1000, 2.0);
        fr.rebase(baseFrame(0, 0, 1), 0);
        Delta d;
        d.timeNs = 1'000'000'000;
        d.type = DeltaType::Spawn;
        d.pid = 2;
        fr.record(d);
        QVERIFY(!fr.needsRebase(1'999'999'999));
        QVERIFY(fr.needsRebase(2'000'000'000));
    }

    void oneCrashOneFile() {
        // A crash that climbs the tree fires the trigger twice: the inner supervisor gives up, then
        // its parent (a root with no restarts to spare) gives up too. One file, named after where
        // the crash began.
        QTemporaryDir dir;
        Runtime rt;
        Probe probe(rt, options(dir));
        SupervisorSpec inner;
        inner.flags.maxRestarts = 0;
        inner.children.push_back(ChildSpec::worker<Idle>("w0"));
        SupervisorSpec top;
        top.flags.maxRestarts = 0;
        top.children.push_back(ChildSpec::supervisor("inner", inner));
        auto sr = Supervisor::start(rt, top, "fragile_root");
        QVERIFY(sr.isOk());
        const Pid innerPid = childPid(rt, sr.pid, "inner");
        QVERIFY(innerPid.valid());
        rt.exit(childPid(rt, innerPid, "w0"), ExitReason::error("crash"));
        QVERIFY(rt.awaitExit(sr.pid, 5000));
        QVERIFY2(waitUntil([&] { return !probe.flightRecorderFiles().empty(); }, 10000), "no dump after the give-ups");
        QVERIFY(rt.waitIdle(5000));
        probe.dumpFlightRecorder("marker"); // anything still pending is written before this one
        const QStringList files = dumpsIn(dir);
        QVERIFY2(files.size() == 2, qPrintable(files.join(", "))); // the crash's + the marker
        SessionReader r;
        QVERIFY(r.open(probe.flightRecorderFiles().front()).ok());
        const std::string expected = "supervisor " + Pid::format(innerPid.id()) + " gave up";
        QVERIFY2(r.header().source.find(expected) != std::string::npos,
                 qPrintable(QString("source '%1', expected '%2'").arg(QString::fromStdString(r.header().source),
                                                                       QString::fromStdString(expected))));
        // Both give-ups are in it.
        int gaveUp = 0;
        r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            if (auto* d = std::get_if<Delta>(&m)) gaveUp += d->type == DeltaType::SupervisorGaveUp;
            return true;
        });
        QCOMPARE(gaveUp, 2);
    }
};

QTEST_GUILESS_MAIN(TestFlightRecorder)
#include "tst_flight_recorder.moc"
