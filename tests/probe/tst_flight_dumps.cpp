#include "probe_test_support.h"
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "introspection/session_model.h"
#include "introspection/session_reader.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <csignal>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <sys/time.h>
#include <thread>
#include <utime.h>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;
using WallClock = std::chrono::steady_clock;

namespace {


ProbeOptions options(const QTemporaryDir& dir) {
    ProbeOptions o;
    o.token = "s3cret";
    o.flightRecorderDir = dir.path().toStdString();
    o.flightRecorderEvents = 1000;
    return o;
}

SupervisorSpec fragileSpec() {
    SupervisorSpec spec;
    spec.flags.maxRestarts = 1;
    spec.flags.maxSeconds = 60;
    spec.children.push_back(ChildSpec::worker<Idle>("w0"));
    spec.children.push_back(ChildSpec::worker<Idle>("w1"));
    return spec;
}


/// Crashes w0 until the supervisor gives up (maxRestarts 1: the second crash).
void crashUntilGivenUp(Runtime& rt, const Pid& sup) {
    const Pid first = childPid(rt, sup, "w0");
    rt.exit(first, ExitReason::error("crash_1"));
    QVERIFY(waitRestarted(rt, sup, "w0", first));
    rt.exit(childPid(rt, sup, "w0"), ExitReason::error("crash_2"));
    QVERIFY(rt.awaitExit(sup, 5000));
}

/// Returns once the probe has taken in every event so far: a viewer's keyframe is built after them.
void syncWithProbe(const Probe& probe) {
    LiveSource viewer;
    LiveSource::Options o;
    o.port = probe.port();
    o.token = "s3cret";
    QVERIFY(viewer.connect(o).ok());
    WireMessage m;
    const auto deadline = WallClock::now() + std::chrono::seconds(5);
    while (!std::holds_alternative<Keyframe>(m)) {
        QVERIFY2(WallClock::now() < deadline, "no keyframe");
        viewer.next(m, 100);
    }
}

QStringList dumpsIn(const QString& dir) {
    return QDir(dir).entryList({"canopy-flight-*.canopy"}, QDir::Files, QDir::Name);
}

/// Sets a file's modification time `secondsAgo` in the past.
void age(const QString& path, int secondsAgo) {
    timeval tv[2];
    gettimeofday(&tv[0], nullptr);
    tv[0].tv_sec -= secondsAgo;
    tv[1] = tv[0];
    QCOMPARE(::utimes(path.toUtf8().constData(), tv), 0);
}

/// What a dump file holds: its header's source, deltas by type, seq gaps, warnings.
struct DumpContents {
    bool opened = false;
    std::string error;
    std::string source;
    std::vector<std::string> warnings;
    mutable std::map<DeltaType, int> deltas;
    int keyframes = 0;
    int gaps = 0;
    std::size_t finalProcesses = 0;
};

DumpContents readDump(const std::string& path) {
    DumpContents c;
    SessionReader reader;
    auto st = reader.open(path);
    if (!st) {
        c.error = st.error();
        return c;
    }
    c.opened = true;
    c.source = reader.header().source;
    SessionModel model;
    reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
        if (auto* d = std::get_if<Delta>(&m)) ++c.deltas[d->type];
        c.keyframes += std::holds_alternative<Keyframe>(m);
        c.gaps += model.apply(m) == SessionModel::Apply::Gap;
        return true;
    });
    c.finalProcesses = model.snapshot().processes.size();
    c.warnings = reader.warnings();
    return c;
}

} // namespace

/// The flight recorder at the moments that matter: the program exits with a dump pending, dumps pile
/// up, the program dies of a fatal signal or std::terminate.
class TestFlightDumps : public QObject {
    Q_OBJECT
private slots:
    void pendingDumpIsWrittenWhenTheProbeGoesAway() {
        QTemporaryDir dir;
        Runtime rt;
        std::string why;
        {
            Probe probe(rt, options(dir));
            auto sr = Supervisor::start(rt, fragileSpec(), "fragile_sup");
            QVERIFY(sr.isOk());
            crashUntilGivenUp(rt, sr.pid);
            // The program ends right away (as canopy-demo does when its root supervisor gives up):
            // the dump, due 200 ms after the crash, must not be lost with the probe.
        }
        const QStringList files = dumpsIn(dir.path());
        QVERIFY2(files.size() == 1, qPrintable("dumps: " + files.join(", ")));
        const DumpContents c = readDump((dir.path() + "/" + files.front()).toStdString());
        QVERIFY2(c.opened, c.error.c_str());
        QVERIFY2(c.source.find("gave up") != std::string::npos || c.source.find("root supervisor") != std::string::npos,
                 c.source.c_str());
        QVERIFY(c.deltas[DeltaType::SupervisorGaveUp] == 1);
        QVERIFY(c.deltas[DeltaType::ChildRestarted] >= 1);
        QCOMPARE(c.gaps, 0);
    }

    void cleanShutdownWritesNoDump() {
        QTemporaryDir dir;
        Runtime rt;
        {
            Probe probe(rt, options(dir));
            auto sr = Supervisor::start(rt, fragileSpec(), "orderly_sup");
            QVERIFY(sr.isOk());
            syncWithProbe(probe); // the probe knows the root supervisor
            rt.exit(sr.pid, ExitReason::shutdown()); // how a program stops its tree
            QVERIFY(rt.awaitExit(sr.pid, 5000));
        }
        QVERIFY2(dumpsIn(dir.path()).isEmpty(), qPrintable(dumpsIn(dir.path()).join(", ")));
        // Killed, the root is a crash worth a dump.
        {
            Probe probe(rt, options(dir));
            auto sr = Supervisor::start(rt, fragileSpec(), "killed_sup");
            QVERIFY(sr.isOk());
            syncWithProbe(probe);
            rt.exit(sr.pid, ExitReason::kill());
            QVERIFY(rt.awaitExit(sr.pid, 5000));
        }
        QCOMPARE(dumpsIn(dir.path()).size(), qsizetype(1));
    }

    void dumpsInADirectoryAreCapped() {
        QTemporaryDir dir;
        // Two dumps of an earlier run, older than anything this run writes.
        for (int i = 0; i < 2; ++i) {
            const QString old = dir.path() + QString("/canopy-flight-1-%1.canopy").arg(i);
            std::ofstream(old.toStdString()) << std::string(1000, 'x');
            age(old, 3600 - i);
        }
        std::ofstream((dir.path() + "/unrelated.txt").toStdString()) << "kept";
        Runtime rt;
        auto o = options(dir);
        o.flightRecorderMaxDumps = 3;
        o.flightRecorderMaxDumpBytes = 0; // no byte cap yet
        std::vector<std::string> written;
        {
            Probe probe(rt, o);
            for (int i = 0; i < 5; ++i) {
                written.push_back(probe.dumpFlightRecorder("dump " + std::to_string(i)));
                QVERIFY(!written.back().empty());
            }
            // Three newest kept: the last three of this run; the earlier run's went first.
            QStringList files = dumpsIn(dir.path());
            QVERIFY2(files.size() == 3, qPrintable(files.join(", ")));
            for (int i = 2; i < 5; ++i)
                QVERIFY2(QFileInfo::exists(QString::fromStdString(written[std::size_t(i)])), written[std::size_t(i)].c_str());
            QVERIFY(QFileInfo::exists(dir.path() + "/unrelated.txt"));
            QCOMPARE(probe.flightRecorderFiles().size(), std::size_t(3));
        }
        // A byte cap: each dump is a few KiB, so a cap of one dump's size keeps only the newest.
        const qint64 one = QFileInfo(QString::fromStdString(written.back())).size();
        o.flightRecorderMaxDumps = 0;
        o.flightRecorderMaxDumpBytes = std::uint64_t(one + one / 2);
        {
            Probe probe(rt, o);
            const std::string last = probe.dumpFlightRecorder("byte cap");
            QVERIFY(!last.empty());
            const QStringList files = dumpsIn(dir.path());
            QVERIFY2(files.size() == 1 && QFileInfo(QString::fromStdString(last)).fileName() == files.front(),
                     qPrintable(files.join(", ")));
            // Each dump says why it was written.
            QVERIFY(readDump(last).source.find("byte cap") != std::string::npos);
        }
    }

    void crashHooksComeAndGoWithTheProbe() {
        struct sigaction before {};
        QCOMPARE(::sigaction(SIGSEGV, nullptr, &before), 0);
        const std::terminate_handler terminateBefore = std::get_terminate();
        QTemporaryDir dir;
        Runtime rt;
        {
            Probe probe(rt, options(dir));
            struct sigaction during {};
            ::sigaction(SIGSEGV, nullptr, &during);
            QVERIFY(during.sa_sigaction != before.sa_sigaction);
            QVERIFY(std::get_terminate() != terminateBefore);
            auto o = options(dir);
            o.flightRecorderOnCrash = false;
            Runtime other;
            Probe second(other, o); // a probe without crash dumps

        }
        struct sigaction after {};
        ::sigaction(SIGSEGV, nullptr, &after);
        QVERIFY2(after.sa_sigaction == before.sa_sigaction, "the previous SIGSEGV handler was not restored");
        QVERIFY(std::get_terminate() == terminateBefore);
        // Nothing lingers in the directory: the crash file was never named.
        QVERIFY2(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty(),
                 qPrintable(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).join(", ")));
    }

    void fatalSignalsAndTerminateWriteTheRing_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("SIGSEGV in a runtime process") << "segv" << "SIGSEGV";
        QTest::newRow("abort()") << "abort" << "SIGABRT";
        QTest::newRow("uncaught exception: std::terminate") << "terminate" << "std::terminate";
    }
    void fatalSignalsAndTerminateWriteTheRing() {
        QFETCH(QString, mode);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QStringLiteral(PROBE_FAULT_CHILD), {"crash-" + mode, dir.path()});
        QVERIFY(child.waitForStarted());
        QVERIFY(child.waitForFinished(60000));
        // The program still dies as it would have: by the signal, or — under AddressSanitizer, whose
        // SIGSEGV handler runs after the probe's — with the sanitizer's report and exit code.
        QVERIFY2(child.exitStatus() == QProcess::CrashExit || child.exitCode() != 0,
                 "the child survived its own crash");
        const QStringList files = dumpsIn(dir.path());
        QVERIFY2(files.size() == 1, qPrintable("dumps: " + files.join(", ")));
        const DumpContents c = readDump((dir.path() + "/" + files.front()).toStdString());
        QVERIFY2(c.opened, c.error.c_str());
        QVERIFY2(c.source.find(reason.toStdString()) != std::string::npos, c.source.c_str());
        if (mode == "terminate") QVERIFY2(c.source.find("deliberate failure") != std::string::npos, c.source.c_str());
        // The ring as it was: the supervisor tree and the restarts before the crash, in order.
        QVERIFY2(c.deltas[DeltaType::ChildRestarted] >= 3, c.source.c_str());
        QVERIFY(c.keyframes >= 1);
        QCOMPARE(c.gaps, 0);
        QVERIFY2(c.finalProcesses >= 3, qPrintable(QString::number(c.finalProcesses)));
        for (const auto& w : c.warnings) // the file was not closed: the index is rebuilt, nothing is corrupt
            QVERIFY2(w.find("corrupt") == std::string::npos && w.find("truncated") == std::string::npos, w.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFlightDumps)
#include "tst_flight_dumps.moc"
