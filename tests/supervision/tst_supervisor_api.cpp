// The supervisor API and its OTP results (§4.1, §4.9), blocking and from process code.
#include "runtime/runtime.h"
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
    Pid start(SupervisorFlags flags, std::vector<ChildSpec> children) {
        StartResult r = Supervisor::start(rt, SupervisorSpec{flags, std::move(children)});
        rt.runUntilIdle();
        return r.pid;
    }
};

ChildSpec failing(const std::string& id) {
    ChildSpec c;
    c.id = id;
    c.start = [](Context&) { return StartResult::failed(ExitReason::error("nope")); };
    return c;
}

QString str(const ChildResult& r) { return QString::fromStdString(r.toString()); }

} // namespace

class TestSupervisorApi : public QObject {
    Q_OBJECT
private slots:
    void startChildResults() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a")});
        ChildResult r = Supervisor::startChild(w.rt, sup, worker(w.log, "b"));
        QVERIFY(r.ok() && r.pid.valid());
        QCOMPARE(int(Supervisor::startChild(w.rt, sup, worker(w.log, "b")).error), int(SupervisorError::AlreadyStarted));
        QCOMPARE(Supervisor::startChild(w.rt, sup, worker(w.log, "b")).pid, r.pid);
        QVERIFY(Supervisor::terminateChild(w.rt, sup, "b").ok());
        QCOMPARE(str(Supervisor::startChild(w.rt, sup, worker(w.log, "b"))), QString("{error,already_present}"));
        ChildResult f = Supervisor::startChild(w.rt, sup, failing("c"));
        QCOMPARE(int(f.error), int(SupervisorError::StartFailed));
        QCOMPARE(QString::fromStdString(f.reason.toString()), QString("nope"));
        // start_child appends last: which_children is reverse start order.
        QCOMPARE(QString::fromStdString(Supervisor::whichChildren(w.rt, sup).front().id), QString("b"));
        QCOMPARE(QString::fromStdString(Supervisor::whichChildren(w.rt, sup).back().id), QString("a"));
    }

    void startChildIgnore() {
        World w;
        Pid sup = w.start({}, {});
        w.log->ignore["i"] = true;
        w.log->ignore["t"] = true;
        ChildResult r = Supervisor::startChild(w.rt, sup, worker(w.log, "i"));
        QVERIFY(r.ok());
        QVERIFY(!r.pid.valid());
        QVERIFY(Supervisor::startChild(w.rt, sup, worker(w.log, "t", Restart::Temporary)).ok());
        QCOMPARE(Supervisor::countChildren(w.rt, sup).specs, 1); // temporary ignored child not kept
    }

    void validationErrors_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing_id") << 0 << "{error,missing_id}";
        QTest::newRow("missing_start") << 1 << "{error,missing_start}";
        QTest::newRow("invalid_shutdown") << 2 << "{error,{invalid_shutdown,-1}}";
        QTest::newRow("bad_combination") << 3 << "{error,{bad_combination,[{restart,permanent},{significant,true}]}}";
    }
    void validationErrors() {
        QFETCH(int, which);
        QFETCH(QString, expected);
        World w;
        Pid sup = w.start({}, {});
        ChildSpec c = worker(w.log, "x");
        if (which == 0)
            c.id.clear();
        if (which == 1)
            c.start = nullptr;
        if (which == 2)
            c.shutdown = Shutdown::timeout(-1);
        if (which == 3)
            c.significant = true;
        ChildResult r = Supervisor::startChild(w.rt, sup, c);
        QCOMPARE(int(r.error), int(SupervisorError::InvalidSpec));
        QCOMPARE(str(r), expected);
    }

    void initValidation() {
        World w;
        StartResult r = Supervisor::start(w.rt, SupervisorSpec{{}, {worker(w.log, "a"), worker(w.log, "a")}});
        QCOMPARE(QString::fromStdString(r.error.toString()), QString("{start_spec,{duplicate_child_name,a}}"));
        r = Supervisor::start(w.rt, SupervisorSpec{{.maxRestarts = -1}, {}});
        QCOMPARE(QString::fromStdString(r.error.toString()), QString("{supervisor_data,{invalid_intensity,-1}}"));
        r = Supervisor::start(w.rt, SupervisorSpec{{.maxSeconds = 0}, {}});
        QCOMPARE(QString::fromStdString(r.error.toString()), QString("{supervisor_data,{invalid_period,0}}"));
        r = Supervisor::start(w.rt, Supervisor::Configure([](Context&) { return std::optional<SupervisorSpec>(); }));
        QCOMPARE(int(r.kind), int(StartResult::Kind::Ignore));
    }

    void restartChildResults() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a"), failing("f")});
        QVERIFY(!w.rt.alive(sup)); // f fails at init
        Pid s2 = w.start({}, {worker(w.log, "a")});
        QCOMPARE(str(Supervisor::restartChild(w.rt, s2, "zz")), QString("{error,not_found}"));
        QCOMPARE(str(Supervisor::restartChild(w.rt, s2, "a")), QString("{error,running}"));
        QVERIFY(Supervisor::terminateChild(w.rt, s2, "a").ok());
        ChildResult r = Supervisor::restartChild(w.rt, s2, "a");
        QVERIFY(r.ok() && r.pid.valid());
        w.log->failNext["a"] = 1;
        QVERIFY(Supervisor::terminateChild(w.rt, s2, "a").ok());
        QCOMPARE(str(Supervisor::restartChild(w.rt, s2, "a")), QString("{error,start_failed}"));
    }

    void terminateAndDeleteResults() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a"), worker(w.log, "t", Restart::Temporary)});
        w.log->take();
        QCOMPARE(str(Supervisor::terminateChild(w.rt, sup, "zz")), QString("{error,not_found}"));
        QCOMPARE(str(Supervisor::deleteChild(w.rt, sup, "a")), QString("{error,running}"));
        QCOMPARE(str(Supervisor::terminateChild(w.rt, sup, "a")), QString("ok"));
        QCOMPARE(QString::fromStdString(w.log->take().at(0)), QString("T(a,shutdown)"));
        QCOMPARE(str(Supervisor::terminateChild(w.rt, sup, "a")), QString("ok"));
        QCOMPARE(str(Supervisor::deleteChild(w.rt, sup, "a")), QString("ok"));
        QCOMPARE(str(Supervisor::deleteChild(w.rt, sup, "a")), QString("{error,not_found}"));
        // terminate_child of a temporary deletes its spec.
        QCOMPARE(str(Supervisor::terminateChild(w.rt, sup, "t")), QString("ok"));
        QCOMPARE(Supervisor::countChildren(w.rt, sup).specs, 0);
        QVERIFY(w.rt.alive(sup));
    }

    void countAndChildspec() {
        World w;
        ChildSpec inner = ChildSpec::supervisor("inner", SupervisorSpec{{}, {worker(w.log, "x")}});
        Pid sup = w.start({}, {worker(w.log, "a"), inner, worker(w.log, "b")});
        ChildCounts n = Supervisor::countChildren(w.rt, sup);
        QCOMPARE(n.specs, 3);
        QCOMPARE(n.active, 3);
        QCOMPARE(n.supervisors, 1);
        QCOMPARE(n.workers, 2);
        auto spec = Supervisor::getChildspec(w.rt, sup, "inner");
        QVERIFY(spec.has_value());
        QCOMPARE(int(spec->type), int(ChildType::Supervisor));
        QCOMPARE(QString::fromStdString(spec->effectiveShutdown().toString()), QString("infinity"));
        QVERIFY(!Supervisor::getChildspec(w.rt, sup, "nope").has_value());
    }

    void callOnDeadSupervisorFails() {
        World w;
        Pid sup = w.start({}, {});
        QVERIFY(Supervisor::stop(w.rt, sup));
        ChildResult r = Supervisor::startChild(w.rt, sup, worker(w.log, "a"));
        QCOMPARE(int(r.error), int(SupervisorError::CallFailed));
    }

    void processSideApi() {
        World w;
        Pid sup = w.start({}, {worker(w.log, "a")});
        auto results = std::make_shared<std::vector<std::string>>();
        Pid sp = sup;
        auto log = w.log;
        w.rt.spawnFn([](Context&, Message&) {}); // unrelated process: the API must not depend on it
        Pid caller = w.rt.spawnFn([sp, results, log](Context& ctx, Message& m) {
            if (!m.is<int>())
                return;
            Supervisor::startChild(ctx, sp, worker(log, "b"), [sp, results](Context& c, ChildResult r) {
                results->push_back(r.ok() ? "started" : r.toString());
                Supervisor::whichChildren(c, sp, [sp, results](Context& c2, std::vector<ChildInfo> wc) {
                    results->push_back(std::to_string(wc.size()));
                    Supervisor::terminateChild(c2, sp, "b", [results](Context&, ChildResult r2) {
                        results->push_back(r2.toString());
                    });
                });
            });
        });
        w.rt.send(caller, 1);
        w.rt.runUntilIdle();
        QCOMPARE(results->size(), std::size_t(3));
        QCOMPARE(QString::fromStdString((*results)[0]), QString("started"));
        QCOMPARE(QString::fromStdString((*results)[1]), QString("2"));
        QCOMPARE(QString::fromStdString((*results)[2]), QString("ok"));
    }

    void namedSupervisor() {
        World w;
        StartResult r = Supervisor::start(w.rt, SupervisorSpec{{}, {}}, "top");
        QVERIFY(r.isOk());
        QCOMPARE(w.rt.whereis("top"), r.pid);
        StartResult again = Supervisor::start(w.rt, SupervisorSpec{{}, {}}, "top");
        QCOMPARE(int(again.kind), int(StartResult::Kind::Error));
    }
};

QTEST_GUILESS_MAIN(TestSupervisorApi)
#include "tst_supervisor_api.moc"
