#include "probe_test_support.h"
#include "introspection/frame_reader.h"
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "raw_viewer.h"
#include "runtime/runtime.h"
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;
using WallClock = std::chrono::steady_clock;

namespace {


ProbeOptions options(const QTemporaryDir& dir) {
    ProbeOptions o;
    o.token = "s3cret";
    o.flightRecorderDir = dir.path().toStdString();
    o.flightRecorderEvents = 0;
    return o;
}

/// A frame header announcing `length` payload bytes, then `sent` bytes of that payload.
std::vector<std::uint8_t> partialFrame(std::uint32_t length, std::size_t sent) {
    std::vector<std::uint8_t> bytes(5 + sent, 'x');
    FrameReader::writeHeader(bytes.data(), length, 0);
    return bytes;
}

/// The refusal code the probe answered with ("" for anything else, or nothing within the deadline).
std::string refusalCode(RawViewer& v, int ms) {
    auto m = v.next(ms);
    if (!m) return {};
    if (auto* r = std::get_if<Refusal>(&*m)) return r->code;
    return "(not a refusal)";
}

long residentKiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

/// user + system CPU seconds of process `pid` so far.
double cpuSeconds(qint64 pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream rest(all.substr(all.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

} // namespace

/// What a connection may cost before it has authenticated, and the probe out of descriptors.
class TestHandshakeLimits : public QObject {
    Q_OBJECT
private slots:
    void oversizedFirstFrameIsRefusedAtOnce() {
        QTemporaryDir dir;
        Runtime rt;
        Probe probe(rt, options(dir));
        RawViewer v;
        QVERIFY(v.connect(probe.port()));
        // A hello is a few hundred bytes; a first frame announcing 1 MiB is refused from its header,
        // long before the 1 MiB (or the 10 s handshake deadline) arrives.
        QVERIFY(v.sendRaw(partialFrame(1u << 20, 1000)));
        QCOMPARE(QString::fromStdString(refusalCode(v, 3000)), QString("bad_hello"));
        QVERIFY(v.waitClosed(3000));
        // A real hello still works.
        RawViewer ok;
        QVERIFY(ok.connect(probe.port()));
        QVERIFY(ok.hello("s3cret"));
        auto m = ok.next(5000);
        QVERIFY(m && std::holds_alternative<Welcome>(*m));
    }

    void unauthenticatedConnectionsAreCapped() {
        QTemporaryDir dir;
        Runtime rt;
        auto o = options(dir);
        o.maxHandshakes = 4;
        Probe probe(rt, o);
        std::vector<std::unique_ptr<RawViewer>> silent;
        for (int i = 0; i < 4; ++i) {
            silent.push_back(std::make_unique<RawViewer>());
            QVERIFY(silent.back()->connect(probe.port()));
        }
        QVERIFY2(waitUntil([&] { return probe.viewerCount() == 4; }), "the probe did not accept 4 connections");
        // The fifth waits for nothing: refused with "busy" at once.
        RawViewer fifth;
        QVERIFY(fifth.connect(probe.port()));
        QCOMPARE(QString::fromStdString(refusalCode(fifth, 3000)), QString("busy"));
        QVERIFY(fifth.waitClosed(3000));
        // One leaves: there is room again, and an authenticated viewer does not count against the cap.
        silent.pop_back();
        QVERIFY(waitUntil([&] { return probe.viewerCount() == 3; }));
        LiveSource viewer;
        LiveSource::Options lo;
        lo.port = probe.port();
        lo.token = "s3cret";
        QVERIFY(viewer.connect(lo).ok());
        RawViewer another;
        QVERIFY(another.connect(probe.port()));
        QVERIFY(another.hello("s3cret"));
        auto m = another.next(5000);
        QVERIFY2(m && std::holds_alternative<Welcome>(*m), "a viewer was refused although only 3 were waiting");
    }

    void connectionsWithoutHelloHoldLittleMemory() {
        QTemporaryDir dir;
        Runtime rt;
        Probe probe(rt, options(dir));
        // The attack: many connections, each a frame header and 1 MiB, never a hello.
        const long before = residentKiB();
        std::vector<std::unique_ptr<RawViewer>> attackers;
        const auto payload = partialFrame(1u << 20, 1u << 20);
        for (int i = 0; i < 64; ++i) {
            attackers.push_back(std::make_unique<RawViewer>());
            QVERIFY(attackers.back()->connect(probe.port()));
            attackers.back()->sendRaw(payload); // may fail once the probe has refused and closed
        }
        for (auto& a : attackers) QCOMPARE(QString::fromStdString(refusalCode(*a, 5000)), QString("bad_hello"));
        const long grown = residentKiB() - before;
        QVERIFY2(grown < 16 * 1024, qPrintable(QString("RSS grew by %1 KiB for 64 unauthenticated connections").arg(grown)));
    }

    void outOfDescriptorsBacksOffAndRecovers() {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QStringLiteral(PROBE_FAULT_CHILD), {"fd-limit", "3"});
        QVERIFY(child.waitForStarted());
        std::uint16_t port = 0;
        bool ready = false;
        const auto deadline = WallClock::now() + std::chrono::seconds(20);
        while (!ready && WallClock::now() < deadline) {
            if (!child.canReadLine() && !child.waitForReadyRead(1000)) continue;
            while (child.canReadLine()) {
                const QByteArray line = child.readLine().trimmed();
                if (line.startsWith("port ")) port = std::uint16_t(line.mid(5).toUInt());
                ready |= line == "ready";
            }
        }
        QVERIFY2(ready && port, "the child never became ready");
        // More connections than the child has descriptors: the rest wait in the listen backlog and
        // accept() fails with EMFILE.
        std::vector<std::unique_ptr<RawViewer>> hogs;
        for (int i = 0; i < 12; ++i) {
            hogs.push_back(std::make_unique<RawViewer>());
            QVERIFY(hogs.back()->connect(port));
        }
        // Wait until it ran out (its accept errors are reported on stderr) — measured over one second,
        // a probe that retries accept() in a loop burns that second; one that backs off does not.
        const double cpu0 = cpuSeconds(child.processId());
        const auto t0 = WallClock::now();
        std::this_thread::sleep_for(std::chrono::seconds(1)); // a measurement window, not a synchronisation
        const double cpu = cpuSeconds(child.processId()) - cpu0;
        const double wall = std::chrono::duration<double>(WallClock::now() - t0).count();
        QVERIFY2(cpu < 0.1 * wall,
                 qPrintable(QString("the child used %1 s of CPU in %2 s while out of descriptors").arg(cpu).arg(wall)));
        // Descriptors free up: a normal viewer is served again. (The child closes the hogs' sockets
        // only as it reads their ends: a viewer that arrives before that may still be turned away,
        // so it tries again until a deadline; what must not happen is never being served.)
        hogs.clear();
        LiveSource::Options lo;
        lo.port = port;
        lo.token = "fault";
        lo.connectTimeoutMs = 5000;
        std::string lastError;
        bool served = false;
        const auto serveDeadline = WallClock::now() + std::chrono::seconds(15);
        while (!served && WallClock::now() < serveDeadline) {
            LiveSource viewer;
            auto st = viewer.connect(lo);
            served = st.ok();
            if (!served) {
                lastError = st.error();
                std::this_thread::sleep_for(std::chrono::milliseconds(50)); // polling with a deadline
            }
        }
        QVERIFY2(served, lastError.c_str());
        child.closeWriteChannel();
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHandshakeLimits)
#include "tst_handshake_limits.moc"
