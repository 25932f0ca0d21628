// DynamicSupervisor (§5): max_children, extra arguments, restarts and retries, concurrent shutdown.
#include "runtime/actor.h"
#include "runtime/runtime.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include "tests/supervision/test_worker.h"
#include <QtTest>

using namespace canopy;
using namespace canopy::test;

namespace {

struct World {
    std::shared_ptr<Log> log = std::make_shared<Log>();
    ReportSink sink{log};
    Runtime rt{RuntimeOptions{.manual = true}};
    World() { rt.setEventSink(&sink); }
    ~World() { rt.setEventSink(nullptr); }
    QString take() {
        QStringList l;
        for (auto& s : log->take())
            l << QString::fromStdString(s);
        return l.join(' ');
    }
};

class Stubborn : public Actor {
public:
    void onMessage(Context&, Message&) override {}
};

ChildSpec stubborn(Shutdown s) {
    ChildSpec c;
    c.id = "s";
    c.shutdown = s;
    c.start = [](Context& ctx) {
        SpawnOptions o = ChildSpec::spawnOptions();
        o.trapExit = true;
        return StartResult::ok(ctx.spawn(std::make_unique<Stubborn>(), o));
    };
    return c;
}

} // namespace

class TestDynamicSupervisor : public QObject {
    Q_OBJECT
private slots:
    void maxChildren() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt, {.maxChildren = 2}).pid;
        QVERIFY(sup.valid());
        ChildResult a = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "w1"));
        QVERIFY(a.ok() && a.pid.valid());
        QVERIFY(DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "w2")).ok());
        QCOMPARE(QString::fromStdString(DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "w3")).toString()),
                 QString("{error,max_children}"));
        QVERIFY(DynamicSupervisor::terminateChild(w.rt, sup, a.pid).ok());
        QCOMPARE(QString::fromStdString(DynamicSupervisor::terminateChild(w.rt, sup, a.pid).toString()),
                 QString("{error,not_found}"));
        QVERIFY(DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "w3")).ok());
        QCOMPARE(w.take(), QString("S(w1) S(w2) T(w1,shutdown) S(w3)"));
    }

    void duplicateIdsAreFine() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt).pid;
        QVERIFY(DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "same")).ok());
        QVERIFY(DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "same")).ok());
        ChildCounts n = Supervisor::countChildren(w.rt, sup);
        QCOMPARE(n.specs, 2);
        QCOMPARE(n.active, 2);
        auto wc = Supervisor::whichChildren(w.rt, sup);
        QCOMPARE(wc.size(), std::size_t(2));
        QVERIFY(wc[0].id.empty());
        QVERIFY(wc[0].pid < wc[1].pid); // map order of pids
    }

    void ignoreAndErrors() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt).pid;
        w.log->ignore["i"] = true;
        ChildResult r = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "i"));
        QVERIFY(r.ok() && !r.pid.valid());
        w.log->failNext["f"] = 1;
        r = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "f"));
        QCOMPARE(QString::fromStdString(r.toString()), QString("{error,start_failed}"));
        ChildSpec bad = worker(w.log, "b");
        bad.shutdown = Shutdown::timeout(0);
        QCOMPARE(QString::fromStdString(DynamicSupervisor::startChild(w.rt, sup, bad).toString()),
                 QString("{error,{invalid_shutdown,0}}"));
        QCOMPARE(Supervisor::countChildren(w.rt, sup).specs, 0);
    }

    void invalidStrategy() {
        World w;
        StartResult r = DynamicSupervisor::start(w.rt, {.strategy = Strategy::OneForAll});
        QCOMPARE(QString::fromStdString(r.error.toString()), QString("{supervisor_data,{invalid_strategy,one_for_all}}"));
    }

    void extraArgumentsArePassed() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt, {.extraArguments = {std::any(std::string("pool-7"))}}).pid;
        auto seen = std::make_shared<std::string>();
        ChildSpec c;
        c.id = "x";
        auto log = w.log;
        c.startWithExtra = [seen, log](Context& ctx, const std::vector<std::any>& extra) {
            *seen = std::any_cast<std::string>(extra.at(0));
            return ctx.startLink(std::make_unique<TestWorker>(log, *seen), ChildSpec::startOptions());
        };
        QVERIFY(DynamicSupervisor::startChild(w.rt, sup, c).ok());
        QCOMPARE(QString::fromStdString(*seen), QString("pool-7"));
    }

    void restartTypes() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt, {.maxRestarts = 10}).pid;
        Pid p = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "p")).pid;
        Pid t = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "t", Restart::Transient)).pid;
        Pid tmp = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "tmp", Restart::Temporary)).pid;
        w.take();
        w.rt.send(p, Crash{ExitReason::normal()});
        w.rt.send(t, Crash{ExitReason::normal()});
        w.rt.send(tmp, Crash{ExitReason::error("boom")});
        w.rt.runUntilIdle();
        QCOMPARE(w.take(), QString("T(p,normal) T(t,normal) T(tmp,boom) rep(child_terminated,,normal) S(p) "
                                   "rep(child_terminated,,boom)"));
        QCOMPARE(Supervisor::countChildren(w.rt, sup).specs, 1);
    }

    void fourthCrashKills() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt).pid;
        DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "a"));
        for (int i = 0; i < 4; ++i) {
            Pid p = Supervisor::whichChildren(w.rt, sup).at(0).pid;
            w.rt.send(p, Crash{ExitReason::error("boom")});
            w.rt.runUntilIdle();
            QCOMPARE(w.rt.alive(sup), i < 3);
        }
    }

    void failedRestartRetriesThroughMailbox() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt).pid;
        Pid p = DynamicSupervisor::startChild(w.rt, sup, worker(w.log, "a")).pid;
        w.take();
        w.log->failNext["a"] = 1;
        w.rt.send(p, Crash{ExitReason::error("boom")});
        w.rt.runUntilIdle();
        QCOMPARE(w.take(), QString("T(a,boom) rep(child_terminated,,boom) F(a) rep(start_error,,start_failed) S(a)"));
        QCOMPARE(Supervisor::countChildren(w.rt, sup).active, 1);
    }

    void concurrentShutdownUsesOneTimerPerValue() {
        World w;
        Pid sup = DynamicSupervisor::start(w.rt).pid;
        for (int i = 0; i < 3; ++i)
            QVERIFY(DynamicSupervisor::startChild(w.rt, sup, stubborn(Shutdown::timeout(300))).ok());
        w.rt.exit(sup, ExitReason::shutdown());
        w.rt.runUntilIdle();
        w.rt.advanceClock(299);
        QVERIFY(w.rt.alive(sup));
        w.rt.advanceClock(1); // all three killed by the single 300 ms timer
        QVERIFY(!w.rt.alive(sup));
        QCOMPARE(w.take(), QString("rep(shutdown_error,,killed)")); // grouped per reason
    }

    void nestedUnderStaticSupervisor() {
        World w;
        Pid top = Supervisor::start(w.rt, SupervisorSpec{{}, {ChildSpec::dynamicSupervisor("dyn", {.maxChildren = 1})}}).pid;
        Pid dyn = childPid(w.rt, top, "dyn");
        QVERIFY(dyn.valid());
        QVERIFY(DynamicSupervisor::startChild(w.rt, dyn, worker(w.log, "w")).ok());
        auto info = w.rt.info(dyn);
        QVERIFY(info && info->hasMeta);
        QCOMPARE(int(info->kind), int(ProcessKind::DynamicSupervisor));
        QCOMPARE(QString::fromStdString(info->childId), QString("dyn"));
        QVERIFY(Supervisor::stop(w.rt, top, ExitReason::shutdown()));
        QCOMPARE(w.take(), QString("S(w) T(w,shutdown)"));
    }
};

QTEST_GUILESS_MAIN(TestDynamicSupervisor)
#include "tst_dynamic_supervisor.moc"
