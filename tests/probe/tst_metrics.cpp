#include "probe_test_support.h"
#include "http_get.h"
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;
using WallClock = std::chrono::steady_clock;

namespace {


/// One scrape: every sample line by series ("name{labels}"), and each family's TYPE.
struct Scrape {
    std::map<std::string, double> samples;
    std::map<std::string, std::string> types;
    std::string text;

    static Scrape parse(const std::string& text) {
        Scrape s;
        s.text = text;
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("# TYPE ", 0) == 0) {
                std::istringstream t(line.substr(7));
                std::string name, type;
                t >> name >> type;
                s.types[name] = type;
            } else if (!line.empty() && line[0] != '#') {
                const auto sp = line.rfind(' ');
                s.samples[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
            }
        }
        return s;
    }
    static std::string family(const std::string& series) { return series.substr(0, series.find('{')); }
    bool isCounter(const std::string& series) const {
        auto it = types.find(family(series));
        return it != types.end() && it->second == "counter";
    }
    double value(const std::string& series) const {
        auto it = samples.find(series);
        return it == samples.end() ? -1 : it->second;
    }
};

Scrape scrape(const Probe& probe) {
    return Scrape::parse(httpBody(httpGet(probe.metricsPort())));
}

/// A probe with /metrics on a free port.
ProbeOptions withMetrics(const QTemporaryDir& dir) {
    ProbeOptions o;
    o.token = "s3cret";
    o.flightRecorderDir = dir.path().toStdString();
    o.metricsPort = 0; // a free port
    return o;
}

SupervisorSpec innerSpec() {
    SupervisorSpec spec;
    spec.flags.maxRestarts = 100;
    spec.flags.maxSeconds = 60;
    spec.children.push_back(ChildSpec::worker<Idle>("w0"));
    return spec;
}


} // namespace

/// /metrics as Prometheus expects it: counters that never go down, names promtool accepts.
class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void countersNeverGoDown() {
        QTemporaryDir dir;
        RuntimeOptions ro;
        ro.workers = 2;
        Runtime rt(ro);
        Probe probe(rt, withMetrics(dir));
        QVERIFY(probe.metricsPort() != 0);

        SupervisorSpec top;
        top.flags.maxRestarts = 100;
        top.flags.maxSeconds = 60;
        top.children.push_back(ChildSpec::supervisor("inner", innerSpec()));
        auto sr = Supervisor::start(rt, top, "top_sup");
        QVERIFY(sr.isOk());
        const Pid inner = childPid(rt, sr.pid, "inner");
        QVERIFY(inner.valid());
        // Two restarts under "inner".
        for (int i = 0; i < 2; ++i) {
            const Pid w = childPid(rt, inner, "w0");
            rt.exit(w, ExitReason::error("boom"));
            QVERIFY(waitRestarted(rt, inner, "w0", w));
        }
        // A worker that handles messages.
        const Pid busy = rt.spawnFn([](Context&, Message&) {});
        for (int i = 0; i < 25; ++i) rt.send(busy, 1);
        QVERIFY(waitUntil([&] {
            auto info = rt.info(busy);
            return info && info->messagesHandled == 25;
        }));
        // A viewer that asks for a resync, counted while it is connected.
        auto viewer = std::make_unique<LiveSource>();
        LiveSource::Options lo;
        lo.port = probe.port();
        lo.token = "s3cret";
        QVERIFY(viewer->connect(lo).ok());
        QVERIFY(probe.viewerCount() == 1 || waitUntil([&] { return probe.viewerCount() == 1; }));
        QVERIFY(viewer->send(KeyframeRequest{}).ok());
        WireMessage m;
        int resyncs = 0;
        const auto deadline = WallClock::now() + std::chrono::seconds(5);
        while (resyncs == 0 && WallClock::now() < deadline)
            if (viewer->next(m, 200) == Source::Outcome::Message) resyncs += std::holds_alternative<ResyncNotice>(m);
        QCOMPARE(resyncs, 1);
        QVERIFY(rt.waitIdle(5000));

        const Scrape before = scrape(probe);
        QVERIFY2(!before.samples.empty(), "no /metrics");
        QVERIFY2(before.value("canopy_probe_viewer_resyncs_total") >= 1, before.text.c_str());
        QVERIFY2(before.value("canopy_messages_handled_total") >= 25, before.text.c_str());

        // Now everything that used to make counters go down: the viewer leaves, the worker that
        // handled messages exits, and the supervisor that did the restarts is killed (and restarted).
        viewer.reset();
        QVERIFY(waitUntil([&] { return probe.viewerCount() == 0; }));
        rt.exit(busy, ExitReason::kill());
        QVERIFY(rt.awaitExit(busy, 5000));
        rt.exit(inner, ExitReason::kill());
        QVERIFY(waitRestarted(rt, sr.pid, "inner", inner));
        QVERIFY(rt.waitIdle(5000));

        const Scrape after = scrape(probe);
        int counters = 0;
        for (const auto& [series, v] : before.samples) {
            if (!before.isCounter(series)) continue;
            ++counters;
            const double now = after.value(series);
            QVERIFY2(now >= v, qPrintable(QString("counter %1 went from %2 to %3\n%4")
                                              .arg(QString::fromStdString(series))
                                              .arg(v)
                                              .arg(now)
                                              .arg(QString::fromStdString(after.text))));
        }
        QVERIFY(counters >= 6);
        // Every restart is in a total: 2 under inner, 1 under top (inner itself).
        double restarts = 0;
        for (const auto& [series, v] : after.samples)
            if (Scrape::family(series) == "canopy_supervisor_restarts_total") restarts += v;
        QVERIFY2(restarts >= 3, after.text.c_str());
        QVERIFY2(after.value("canopy_child_restarts_total") >= 3, after.text.c_str());
    }

    void namesFollowPrometheusConventions() {
        QTemporaryDir dir;
        RuntimeOptions ro;
        ro.workers = 2;
        Runtime rt(ro);
        Probe probe(rt, withMetrics(dir));
        SupervisorSpec top;
        top.flags.maxRestarts = 100;
        top.children.push_back(ChildSpec::supervisor("inner \"quoted\"\\name", innerSpec()));
        auto sr = Supervisor::start(rt, top, "conventions_sup");
        QVERIFY(sr.isOk());
        const Pid inner = childPid(rt, sr.pid, "inner \"quoted\"\\name");
        const Pid w = childPid(rt, inner, "w0");
        rt.exit(w, ExitReason::error("boom"));
        QVERIFY(waitRestarted(rt, inner, "w0", w));
        QVERIFY(rt.waitIdle(5000));
        const Scrape s = scrape(probe);
        // promtool's lint rules, checked here too so the test speaks without promtool.
        for (const auto& [name, type] : s.types) {
            const bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
            QVERIFY2(type != "counter" || total, ("counter without _total: " + name).c_str());
            QVERIFY2(type == "counter" || !total, ("non-counter with _total: " + name).c_str());
            std::istringstream words(name);
            for (std::string w; std::getline(words, w, '_');)
                for (const char* abbrev : {"ms", "sec", "msec", "us", "ns", "kb", "mb", "b"})
                    QVERIFY2(w != abbrev, ("abbreviated unit in " + name).c_str());
        }
        const QString promtool = QStandardPaths::findExecutable("promtool");
        if (promtool.isEmpty()) QSKIP("promtool not installed (scripts/install-deps.sh installs it): lint checked above");
        QProcess p;
        p.start(promtool, {"check", "metrics"});
        QVERIFY(p.waitForStarted());
        p.write(QByteArray::fromStdString(s.text));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, qPrintable(p.readAllStandardOutput() + p.readAllStandardError() +
                                               QString::fromStdString("\n" + s.text)));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
