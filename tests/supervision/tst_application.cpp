// Application (a named root tree with start/stop) and PartitionSupervisor (§7).
#include "runtime/runtime.h"
#include "runtime/supervision/application.h"
#include "runtime/supervision/partition_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include "tests/supervision/test_worker.h"
#include <QtTest>

using namespace canopy;
using namespace canopy::test;

class TestApplication : public QObject {
    Q_OBJECT
private slots:
    void startStop() {
        auto log = std::make_shared<Log>();
        Runtime rt{RuntimeOptions{.manual = true}};
        StartResult r = Application::start(rt, "shop", SupervisorSpec{{}, {worker(log, "a"), worker(log, "b")}});
        QVERIFY(r.isOk());
        QCOMPARE(Application::root(rt, "shop"), r.pid);
        QCOMPARE(Application::running(rt), std::vector<std::string>{"shop"});
        StartResult again = Application::start(rt, "shop", SupervisorSpec{{}, {}});
        QCOMPARE(int(again.kind), int(StartResult::Kind::Error));
        QCOMPARE(QString::fromStdString(again.error.toString()),
                 QString("{already_started,%1}").arg(QString::fromStdString(r.pid.toString())));
        log->take();
        QVERIFY(Application::stop(rt, "shop"));
        QCOMPARE(log->take(), (std::vector<std::string>{"T(b,shutdown)", "T(a,shutdown)"}));
        QVERIFY(!Application::root(rt, "shop").valid());
        QVERIFY(Application::running(rt).empty());
        QVERIFY(!Application::stop(rt, "shop"));
    }

    void partitionOfKeys() {
        QCOMPARE(PartitionSupervisor::partitionOf(std::int64_t(7), 4), 3);
        QCOMPARE(PartitionSupervisor::partitionOf(std::int64_t(-7), 4), 3); // rem(abs(key), N)
        QCOMPARE(PartitionSupervisor::partitionOf(std::int64_t(0), 4), 0);
        QCOMPARE(PartitionSupervisor::partitionOf(std::int64_t(4), 3), 1);
        // String keys hash to a partition that is the same in every build and on every platform, so
        // the values are pinned (computed independently from partition_supervisor.cpp's 64-bit
        // FNV-1a loop, offset 1469598103934665603, prime 1099511628211).
        QCOMPARE(PartitionSupervisor::partitionOf(std::string_view("user-42"), 8), 1);
        QCOMPARE(PartitionSupervisor::partitionOf(std::string_view("user-43"), 8), 6);
        QCOMPARE(PartitionSupervisor::partitionOf(std::string_view("user-42"), 1000), 249);
        QCOMPARE(PartitionSupervisor::partitionOf(std::string_view("foobar"), 1000), 970);
        QCOMPARE(PartitionSupervisor::partitionOf(std::string_view(""), 1000), 603);
    }

    void partitionSupervisor() {
        auto log = std::make_shared<Log>();
        Runtime rt{RuntimeOptions{.manual = true}};
        PartitionSupervisorOptions o;
        o.partitions = 3;
        o.childSpec = [log](int i) { return worker(log, "p" + std::to_string(i)); };
        Pid sup = PartitionSupervisor::start(rt, o).pid;
        QVERIFY(sup.valid());
        QCOMPARE(PartitionSupervisor::partitions(rt, sup), 3);
        QCOMPARE(wc(rt, sup), (std::vector<std::string>{"2:running", "1:running", "0:running"}));
        Pid p1 = PartitionSupervisor::whereis(rt, sup, std::int64_t(4)); // 4 rem 3 = 1
        QCOMPARE(p1, childPid(rt, sup, "1"));
        rt.send(p1, Crash{ExitReason::error("boom")});
        rt.runUntilIdle();
        Pid again = PartitionSupervisor::whereis(rt, sup, std::int64_t(4));
        QVERIFY(again.valid() && again != p1); // one_for_one restart
        auto info = rt.info(sup);
        QVERIFY(info && info->hasMeta);
        QCOMPARE(QString::fromStdString(info->strategy), QString("one_for_one"));
        QCOMPARE(info->maxRestarts, 3);
    }
};

QTEST_GUILESS_MAIN(TestApplication)
#include "tst_application.moc"
