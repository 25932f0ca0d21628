// Supervisor semantics in manual mode: the scenarios of otp-semantics.md §9 (strategies, restart
// types, intensity, retries, auto_shutdown, shutdown protocol).
#include "runtime/actor.h"
#include "runtime/exit_message.h"
#include "runtime/fn_actor.h"
#include "runtime/manual_clock.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include "tests/supervision/test_worker.h"
#include <QtTest>

using namespace canopy;
using namespace canopy::test;

namespace {

QString join(const std::vector<std::string>& v) {
    QStringList l;
    for (const auto& s : v)
        l << QString::fromStdString(s);
    return l.join(' ');
}

/// One test's world: log, report sink, manual runtime (declared in this order so the runtime dies first).
struct World {
    std::shared_ptr<Log> log = std::make_shared<Log>();
    ReportSink sink{log};
    Runtime rt{RuntimeOptions{.manual = true}};
    World() { rt.setEventSink(&sink); }
    ~World() { rt.setEventSink(nullptr); }

    Pid start(SupervisorFlags flags, std::vector<ChildSpec> children) {
        StartResult r = Supervisor::start(rt, SupervisorSpec{flags, std::move(children)});
        rt.runUntilIdle();
        return r.pid;
    }
    void crash(const Pid& sup, const std::string& id, ExitReason reason = ExitReason::error("boom")) {
        Pid p = childPid(rt, sup, id);
        QVERIFY2(p.valid(), id.c_str());
        rt.send(p, Crash{std::move(reason)});
        rt.runUntilIdle();
    }
    QString take() { return join(log->take()); }
};

std::vector<ChildSpec> abcd(World& w) {
    return {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c"), worker(w.log, "d")};
}

/// A trapping raw process that ignores everything (never stops on `shutdown`).
class Stubborn : public Actor {
public:
    void onMessage(Context&, Message&) override {}
};

ChildSpec stubborn(const std::string& id, Shutdown s, Restart r = Restart::Permanent) {
    ChildSpec c;
    c.id = id;
    c.restart = r;
    c.shutdown = s;
    c.start = [](Context& ctx) {
        SpawnOptions o = ChildSpec::spawnOptions();
        o.trapExit = true;
        return StartResult::ok(ctx.spawn(std::make_unique<Stubborn>(), o));
    };
    return c;
}

} // namespace

class TestSupervisor : public QObject {
    Q_OBJECT
private slots:
    void oneForOne() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForOne, .maxRestarts = 10}, abcd(w));
        QCOMPARE(w.take(), QString("S(a) S(b) S(c) S(d)"));
        Pid a = childPid(w.rt, sup, "a"), b = childPid(w.rt, sup, "b"), c = childPid(w.rt, sup, "c");
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) S(b)"));
        QCOMPARE(childPid(w.rt, sup, "a"), a);
        QCOMPARE(childPid(w.rt, sup, "c"), c);
        QVERIFY(childPid(w.rt, sup, "b") != b);
        QVERIFY(childPid(w.rt, sup, "b").valid());
    }

    void restForOne() {
        World w;
        Pid sup = w.start({.strategy = Strategy::RestForOne, .maxRestarts = 10}, abcd(w));
        w.take();
        Pid a = childPid(w.rt, sup, "a");
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) T(d,shutdown) T(c,shutdown) S(b) S(c) S(d)"));
        QCOMPARE(childPid(w.rt, sup, "a"), a);
    }

    void oneForAll() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll, .maxRestarts = 10}, abcd(w));
        w.take();
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) T(d,shutdown) T(c,shutdown) T(a,shutdown) "
                                   "S(a) S(b) S(c) S(d)"));
        QCOMPARE(join(wc(w.rt, sup)), QString("d:running c:running b:running a:running"));
    }

    void oneForAllTemporaryNotRestarted() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Temporary), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom)"));
        QCOMPARE(join(wc(w.rt, sup)), QString("c:running a:running"));
        ChildCounts n = Supervisor::countChildren(w.rt, sup);
        QCOMPARE(n.specs, 2);
        QCOMPARE(n.active, 2);
    }

    void temporaryNormalExitHasNoReport() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Temporary), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b", ExitReason::normal());
        QCOMPARE(w.take(), QString("T(b,normal)"));
    }

    void transientCleanExitsLeaveUndefined_data() {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<QString>("reason");
        for (int s : {int(Strategy::OneForAll), int(Strategy::RestForOne)})
            for (const char* r : {"normal", "shutdown", "{shutdown,x}"})
                QTest::newRow((std::string(toString(Strategy(s))) + "/" + r).c_str()) << s << QString(r);
    }
    void transientCleanExitsLeaveUndefined() {
        QFETCH(int, strategy);
        QFETCH(QString, reason);
        World w;
        Pid sup = w.start({.strategy = Strategy(strategy)},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Transient), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b", ExitReason::parse(reason.toStdString()));
        QCOMPARE(w.take(), QString("T(b,%1)").arg(reason));
        QCOMPARE(join(wc(w.rt, sup)), QString("c:running b:undefined a:running"));
        ChildCounts n = Supervisor::countChildren(w.rt, sup);
        QCOMPARE(n.specs, 3);
        QCOMPARE(n.active, 2);
    }

    void transientAbnormalExitRestartsGroup() {
        World w;
        Pid sup = w.start({.strategy = Strategy::RestForOne},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Transient), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) T(c,shutdown) S(b) S(c)"));
    }

    void permanentNormalExitIsReportedAndRestarted() {
        World w;
        Pid sup = w.start({.strategy = Strategy::RestForOne}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b", ExitReason::normal());
        QCOMPARE(w.take(), QString("T(b,normal) rep(child_terminated,b,normal) T(c,shutdown) S(b) S(c)"));
    }

    void revivalOfUndefinedChildInGroupRestart() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Transient), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b", ExitReason::normal());
        w.crash(sup, "a");
        QCOMPARE(w.take(), QString("T(b,normal) T(a,boom) rep(child_terminated,a,boom) T(c,shutdown) S(a) S(b) S(c)"));
    }

    void discardTemporaryInGroupRestart() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll},
                          {worker(w.log, "a"), worker(w.log, "b", Restart::Temporary), worker(w.log, "c", Restart::Transient)});
        w.take();
        w.crash(sup, "a");
        QCOMPARE(w.take(), QString("T(a,boom) rep(child_terminated,a,boom) T(c,shutdown) T(b,shutdown) S(a) S(c)"));
        QCOMPARE(join(wc(w.rt, sup)), QString("c:running a:running"));
    }

    void elixirDefaultsSurviveThreeCrashesDieOnFourth() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a"), worker(w.log, "b")});
        w.take();
        for (int i = 0; i < 3; ++i)
            w.crash(sup, "a");
        QVERIFY(w.rt.alive(sup));
        QCOMPARE(w.sink.lastRestarts, 3);
        QCOMPARE(w.sink.lastLimit, 3);
        w.take();
        w.crash(sup, "a");
        QCOMPARE(w.take(), QString("T(a,boom) rep(child_terminated,a,boom) rep(shutdown,a,reached_max_restart_intensity) "
                                   "T(b,shutdown)"));
        ExitReason why;
        QVERIFY(w.rt.awaitExit(sup, 1000, &why));
        QCOMPARE(QString::fromStdString(why.toString()), QString("shutdown"));
    }

    void intensityZero() {
        World w;
        Pid sup = w.start({.maxRestarts = 0}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) rep(shutdown,b,reached_max_restart_intensity) "
                                   "T(c,shutdown) T(a,shutdown)"));
        QVERIFY(!w.rt.alive(sup));
    }

    void nestedInnerGivesUp_data() {
        QTest::addColumn<bool>("transient");
        QTest::newRow("permanent inner") << false;
        QTest::newRow("transient inner") << true;
    }
    void nestedInnerGivesUp() {
        QFETCH(bool, transient);
        World w;
        ChildSpec inner = ChildSpec::supervisor("inner", SupervisorSpec{{.maxRestarts = 0}, {worker(w.log, "x")}});
        if (transient)
            inner.restart = Restart::Transient;
        Pid top = w.start({}, {worker(w.log, "a"), inner});
        w.take();
        Pid in = childPid(w.rt, top, "inner");
        w.crash(in, "x");
        if (transient) {
            QCOMPARE(w.take(), QString("T(x,boom) rep(child_terminated,x,boom) rep(shutdown,x,reached_max_restart_intensity)"));
            QCOMPARE(join(wc(w.rt, top)), QString("inner:undefined a:running"));
        } else {
            QCOMPARE(w.take(), QString("T(x,boom) rep(child_terminated,x,boom) rep(shutdown,x,reached_max_restart_intensity) "
                                       "rep(child_terminated,inner,shutdown) S(x)"));
            QCOMPARE(join(wc(w.rt, top)), QString("inner:running a:running"));
        }
    }

    void windowIsWholeFlooredSeconds_data() {
        QTest::addColumn<int>("firstMs");
        QTest::addColumn<int>("gapMs");
        QTest::addColumn<bool>("dies");
        QTest::newRow("k+0.05, +1.1s") << 50 << 1100 << true;
        QTest::newRow("k+0.95, +1.1s") << 950 << 1100 << false;
        QTest::newRow("k+0.05, +1.9s") << 50 << 1900 << true;
        QTest::newRow("k+0.05, +2.1s") << 50 << 2100 << false;
    }
    void windowIsWholeFlooredSeconds() {
        QFETCH(int, firstMs);
        QFETCH(int, gapMs);
        QFETCH(bool, dies);
        World w;
        // Start exactly on a whole second of the runtime clock.
        std::int64_t now = w.rt.clock().nowNs();
        w.rt.advanceClock((1'000'000'000 - now % 1'000'000'000) / 1'000'000);
        QCOMPARE(w.rt.clock().nowNs() % 1'000'000'000, 0);
        Pid sup = w.start({.maxRestarts = 1, .maxSeconds = 1}, {worker(w.log, "a")});
        w.rt.advanceClock(firstMs);
        w.crash(sup, "a");
        QVERIFY(w.rt.alive(sup));
        w.rt.advanceClock(gapMs);
        w.crash(sup, "a");
        QCOMPARE(!w.rt.alive(sup), dies);
    }

    void groupRestartCountsOnce() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll, .maxRestarts = 1},
                          {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.crash(sup, "a");
        QVERIFY(w.rt.alive(sup));
        QCOMPARE(join(wc(w.rt, sup)), QString("c:running b:running a:running"));
        w.rt.advanceClock(1000);
        w.crash(sup, "b");
        QVERIFY(!w.rt.alive(sup));
    }

    void initStartFailure() {
        World w;
        w.log->failNext["b"] = 1;
        StartResult r = Supervisor::start(w.rt, SupervisorSpec{{}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")}});
        w.rt.runUntilIdle();
        QCOMPARE(int(r.kind), int(StartResult::Kind::Error));
        QCOMPARE(QString::fromStdString(r.error.toString()),
                 QString("{shutdown,{failed_to_start_child,b,start_failed}}"));
        QCOMPARE(w.take(), QString("S(a) F(b) rep(start_error,b,start_failed) T(a,shutdown)"));
    }

    void initFailureStillEnforcesShutdownTimeouts() {
        World w;
        w.log->failNext["b"] = 1;
        StartResult r = Supervisor::start(w.rt, SupervisorSpec{{}, {stubborn("h", Shutdown::timeout(100)), worker(w.log, "b")}});
        QCOMPARE(int(r.kind), int(StartResult::Kind::Error));
        w.rt.runUntilIdle();
        QCOMPARE(w.take(), QString("F(b) rep(start_error,b,start_failed)"));
        QVERIFY(w.rt.processCount() >= 1); // h ignores its shutdown signal
        w.rt.advanceClock(100);
        QCOMPARE(w.take(), QString("rep(shutdown_error,h,killed)"));
        QCOMPARE(w.rt.processCount(), std::size_t(0));
    }

    void restartFailureExhaustsLimit() {
        World w;
        Pid sup = w.start({.maxRestarts = 3}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.log->failNext["b"] = 100;
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) "
                                   "F(b) rep(start_error,b,start_failed) F(b) rep(start_error,b,start_failed) "
                                   "F(b) rep(start_error,b,start_failed) rep(shutdown,b,reached_max_restart_intensity) "
                                   "T(c,shutdown) T(a,shutdown)"));
        QVERIFY(!w.rt.alive(sup));
    }

    void restartFailureThenSuccess() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.log->failNext["b"] = 1;
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom) F(b) rep(start_error,b,start_failed) S(b)"));
        QCOMPARE(join(wc(w.rt, sup)), QString("c:running b:running a:running"));
        QCOMPARE(w.sink.lastRestarts, 2);
    }

    void oneForAllRetryRestartsEverything() {
        World w;
        Pid sup = w.start({.strategy = Strategy::OneForAll}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.log->failNext["b"] = 1;
        w.crash(sup, "a");
        QCOMPARE(w.take(), QString("T(a,boom) rep(child_terminated,a,boom) T(c,shutdown) T(b,shutdown) S(a) F(b) "
                                   "rep(start_error,b,start_failed) T(a,shutdown) S(a) S(b) S(c)"));
    }

    void restForOneRetryRestartsFailedAndLater() {
        World w;
        Pid sup = w.start({.strategy = Strategy::RestForOne}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "c")});
        w.take();
        w.log->failNext["b"] = 1;
        w.crash(sup, "a");
        QCOMPARE(w.take(), QString("T(a,boom) rep(child_terminated,a,boom) T(c,shutdown) T(b,shutdown) S(a) F(b) "
                                   "rep(start_error,b,start_failed) S(b) S(c)"));
    }

    void ignoreAtInit() {
        World w;
        w.log->ignore["b"] = true;
        w.log->ignore["t"] = true;
        Pid sup = w.start({}, {worker(w.log, "a"), worker(w.log, "b"), worker(w.log, "t", Restart::Temporary)});
        QCOMPARE(join(wc(w.rt, sup)), QString("b:undefined a:running"));
        w.log->ignore["b"] = false;
        ChildResult r = Supervisor::restartChild(w.rt, sup, "b");
        QVERIFY(r.ok());
        QVERIFY(r.pid.valid());
        QCOMPARE(int(Supervisor::restartChild(w.rt, sup, "b").error), int(SupervisorError::Running));
        QVERIFY(Supervisor::terminateChild(w.rt, sup, "b").ok());
        QVERIFY(Supervisor::terminateChild(w.rt, sup, "b").ok());
        QVERIFY(Supervisor::deleteChild(w.rt, sup, "b").ok());
        QCOMPARE(int(Supervisor::deleteChild(w.rt, sup, "b").error), int(SupervisorError::NotFound));
    }

    void restartReturningIgnoreLeavesUndefined() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a"), worker(w.log, "b")});
        w.take();
        w.log->ignore["b"] = true;
        w.crash(sup, "b");
        QCOMPARE(w.take(), QString("T(b,boom) rep(child_terminated,b,boom)"));
        QCOMPARE(join(wc(w.rt, sup)), QString("b:undefined a:running"));
    }

    void autoShutdownAnySignificant() {
        World w;
        auto s = worker(w.log, "s", Restart::Transient);
        s.significant = true;
        Pid sup = w.start({.autoShutdown = AutoShutdown::AnySignificant}, {worker(w.log, "a"), s, worker(w.log, "b")});
        w.take();
        w.crash(sup, "s", ExitReason::normal());
        QCOMPARE(w.take(), QString("T(s,normal) T(b,shutdown) T(a,shutdown)"));
        ExitReason why;
        QVERIFY(w.rt.awaitExit(sup, 100, &why));
        QCOMPARE(QString::fromStdString(why.toString()), QString("shutdown"));
    }

    void autoShutdownSignificantCrashRestarts() {
        World w;
        auto s = worker(w.log, "s", Restart::Transient);
        s.significant = true;
        Pid sup = w.start({.autoShutdown = AutoShutdown::AnySignificant}, {worker(w.log, "a"), s, worker(w.log, "b")});
        w.take();
        w.crash(sup, "s");
        QCOMPARE(w.take(), QString("T(s,boom) rep(child_terminated,s,boom) S(s)"));
        QVERIFY(Supervisor::terminateChild(w.rt, sup, "s").ok());
        QVERIFY(w.rt.alive(sup));
    }

    void autoShutdownAllSignificant() {
        World w;
        auto s1 = worker(w.log, "s1", Restart::Transient);
        s1.significant = true;
        auto s2 = worker(w.log, "s2", Restart::Temporary);
        s2.significant = true;
        Pid sup = w.start({.autoShutdown = AutoShutdown::AllSignificant}, {worker(w.log, "a"), s1, s2});
        w.crash(sup, "s1", ExitReason::normal());
        QVERIFY(w.rt.alive(sup));
        w.crash(sup, "s2", ExitReason::shutdown("done"));
        QVERIFY(!w.rt.alive(sup));
    }

    void autoShutdownAllSignificantIgnoredCountsAsGone() {
        World w;
        w.log->ignore["s1"] = true;
        auto s1 = worker(w.log, "s1", Restart::Transient);
        s1.significant = true;
        auto s2 = worker(w.log, "s2", Restart::Temporary);
        s2.significant = true;
        Pid sup = w.start({.autoShutdown = AutoShutdown::AllSignificant}, {worker(w.log, "a"), s1, s2});
        w.crash(sup, "s2", ExitReason::normal());
        QVERIFY(!w.rt.alive(sup));
    }

    void significantPermanentIsBadCombination() {
        World w;
        auto s = worker(w.log, "s");
        s.significant = true;
        StartResult r = Supervisor::start(w.rt, SupervisorSpec{{.autoShutdown = AutoShutdown::AnySignificant}, {s}});
        QCOMPARE(QString::fromStdString(r.error.toString()),
                 QString("{start_spec,{bad_combination,[{restart,permanent},{significant,true}]}}"));
        auto t = worker(w.log, "t", Restart::Transient);
        t.significant = true;
        r = Supervisor::start(w.rt, SupervisorSpec{{}, {t}});
        QCOMPARE(QString::fromStdString(r.error.toString()),
                 QString("{start_spec,{bad_combination,[{auto_shutdown,never},{significant,true}]}}"));
    }

    void shutdownTimesAreSummed() {
        World w;
        Pid sup = w.start({}, {stubborn("h1", Shutdown::timeout(100)), stubborn("bk", Shutdown::brutalKill()),
                               stubborn("h2", Shutdown::timeout(200))});
        w.rt.exit(sup, ExitReason::shutdown()); // no parent: an outside exit stops a root supervisor
        w.rt.runUntilIdle();
        QVERIFY(w.rt.alive(sup));
        w.rt.advanceClock(199);
        QVERIFY(w.rt.alive(sup));
        w.rt.advanceClock(1); // h2 killed after 200 ms
        QCOMPARE(w.take(), QString("rep(shutdown_error,h2,killed)"));
        w.rt.advanceClock(99);
        QVERIFY(w.rt.alive(sup));
        w.rt.advanceClock(1); // then bk at once, h1 after 100 ms more
        QCOMPARE(w.take(), QString("rep(shutdown_error,h1,killed)"));
        QVERIFY(!w.rt.alive(sup));
    }

    void permanentRawChildExitingNormalOnShutdownIsAnError_data() {
        QTest::addColumn<int>("restart");
        QTest::addColumn<QString>("expected");
        QTest::newRow("permanent") << int(Restart::Permanent) << QString("rep(shutdown_error,n,normal)");
        QTest::newRow("transient") << int(Restart::Transient) << QString("");
    }
    void permanentRawChildExitingNormalOnShutdownIsAnError() {
        QFETCH(int, restart);
        QFETCH(QString, expected);
        World w;
        ChildSpec c;
        c.id = "n";
        c.restart = Restart(restart);
        c.start = [](Context& ctx) {
            SpawnOptions o = ChildSpec::spawnOptions();
            o.trapExit = true;
            return StartResult::ok(ctx.spawn(std::make_unique<FnActor>([](Context& cx, Message& m) {
                                                    if (m.is<ExitMessage>())
                                                        cx.exit(ExitReason::normal());
                                                }),
                                                o));
        };
        Pid sup = w.start({}, {c});
        QVERIFY(Supervisor::stop(w.rt, sup, ExitReason::shutdown()));
        QCOMPARE(w.take(), expected);
    }

    void parentExitStopsSupervisorInReverseOrder() {
        World w;
        Pid sup = w.start({}, abcd(w));
        w.take();
        QVERIFY(Supervisor::stop(w.rt, sup, ExitReason::shutdown()));
        QCOMPARE(w.take(), QString("T(d,shutdown) T(c,shutdown) T(b,shutdown) T(a,shutdown)"));
    }

    void threadedChaosKeepsTreeConsistent() {
        // Real threads: random kills of children of a one_for_one, a rest_for_one inner tree and a
        // dynamic supervisor; afterwards every child runs again and the tree stops cleanly.
        auto log = std::make_shared<Log>();
        Runtime rt{RuntimeOptions{.workers = 2}};
        std::vector<ChildSpec> kids;
        for (int i = 0; i < 20; ++i)
            kids.push_back(ChildSpec::worker<TestWorker>("w" + std::to_string(i), log, "w", false));
        std::vector<ChildSpec> innerKids;
        for (int i = 0; i < 5; ++i)
            innerKids.push_back(ChildSpec::worker<TestWorker>("x" + std::to_string(i), log, "x", true));
        kids.push_back(ChildSpec::supervisor(
            "inner", SupervisorSpec{{.strategy = Strategy::RestForOne, .maxRestarts = 1'000'000}, innerKids}));
        Pid sup = Supervisor::start(rt, SupervisorSpec{{.maxRestarts = 1'000'000}, kids}).pid;
        QVERIFY(sup.valid());
        Pid inner = childPid(rt, sup, "inner");
        std::uint32_t seed = 12345;
        auto rnd = [&seed](std::uint32_t n) {
            seed = seed * 1664525u + 1013904223u;
            return (seed >> 8) % n;
        };
        for (int round = 0; round < 300; ++round) {
            const bool innerRound = rnd(3) == 0;
            auto wcs = Supervisor::whichChildren(rt, innerRound ? inner : sup);
            if (wcs.empty())
                continue;
            const ChildInfo& c = wcs[rnd(static_cast<std::uint32_t>(wcs.size()))];
            if (c.pid.valid() && c.id != "inner")
                rt.exit(c.pid, rnd(2) ? ExitReason::kill() : ExitReason::error("chaos"));
        }
        QVERIFY(rt.waitIdle(10'000));
        ChildCounts n = Supervisor::countChildren(rt, sup);
        QCOMPARE(n.specs, 21);
        QCOMPARE(n.active, 21);
        QCOMPARE(Supervisor::countChildren(rt, inner).active, 5);
        QVERIFY(Supervisor::stop(rt, sup, ExitReason::shutdown(), 10'000));
        QVERIFY(rt.waitIdle(10'000));
        QCOMPARE(rt.processCount(), std::size_t(0));
    }

    void metaIsPublished() {
        World w;
        Pid sup = w.start({.strategy = Strategy::RestForOne, .maxRestarts = 7, .maxSeconds = 9},
                          {worker(w.log, "a", Restart::Transient)});
        auto si = w.rt.info(sup);
        QVERIFY(si && si->hasMeta);
        QCOMPARE(QString::fromStdString(si->strategy), QString("rest_for_one"));
        QCOMPARE(si->maxRestarts, 7);
        QCOMPARE(si->maxSeconds, 9);
        QCOMPARE(int(si->kind), int(ProcessKind::Supervisor));
        auto ai = w.rt.info(childPid(w.rt, sup, "a"));
        QVERIFY(ai && ai->hasMeta);
        QCOMPARE(QString::fromStdString(ai->childId), QString("a"));
        QCOMPARE(QString::fromStdString(ai->restart), QString("transient"));
        QCOMPARE(QString::fromStdString(ai->shutdown), QString("5000"));
        QCOMPARE(ai->parent, sup.id());
    }
};

QTEST_GUILESS_MAIN(TestSupervisor)
#include "tst_supervisor.moc"
