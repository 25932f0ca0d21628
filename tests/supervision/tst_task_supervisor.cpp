// Task.Supervisor (§7): start_child restart types, async/await, async_nolink.
#include "runtime/down_message.h"
#include "runtime/fn_actor.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include "runtime/supervision/task_supervisor.h"
#include <QtTest>
#include <atomic>
#include <stdexcept>

using namespace canopy;

namespace {

using Job = std::function<void(Context&)>;

/// A process that runs jobs and records every other message type it gets.
struct Agent {
    Pid pid;
    std::shared_ptr<std::vector<std::string>> other = std::make_shared<std::vector<std::string>>();
};

Agent agent(Runtime& rt, bool trap = false) {
    Agent a;
    SpawnOptions o;
    o.trapExit = trap;
    auto other = a.other;
    a.pid = rt.spawn(std::make_unique<FnActor>([other](Context& c, Message& m) {
                         if (auto* j = m.tryAs<Job>())
                             (*j)(c);
                         else if (auto* d = m.tryAs<DownMessage>())
                             other->push_back("DOWN:" + d->reason.toString());
                         else
                             other->push_back("other");
                     }),
                     o);
    return a;
}

} // namespace

class TestTaskSupervisor : public QObject {
    Q_OBJECT
private slots:
    void startChildRestartTypes() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt).pid;
        auto runs = std::make_shared<int>(0);
        auto crashOnce = [runs](Context&) {
            if ((*runs)++ == 0)
                throw std::runtime_error("boom");
        };
        QVERIFY(TaskSupervisor::startChild(rt, sup, crashOnce).ok());
        rt.runUntilIdle();
        QCOMPARE(*runs, 1); // temporary: not restarted
        *runs = 0;
        QVERIFY(TaskSupervisor::startChild(rt, sup, crashOnce, Restart::Transient).ok());
        rt.runUntilIdle();
        QCOMPARE(*runs, 2); // transient: restarted after the crash, then exits normal
        QCOMPARE(Supervisor::countChildren(rt, sup).specs, 0);
    }

    void asyncAwait() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt).pid;
        Agent a = agent(rt);
        auto got = std::make_shared<int>(0);
        rt.send(a.pid, Message::of(Job([sup, got](Context& c) {
            TaskSupervisor::async(c, sup, [](Context&) { return std::any(6 * 7); }, [got](Context& c2, Task t) {
                TaskSupervisor::await(c2, t, [got](Context&, std::any r) { *got = std::any_cast<int>(r); });
            });
        })));
        rt.runUntilIdle();
        QCOMPARE(*got, 42);
        QVERIFY(rt.alive(a.pid));
        QVERIFY(a.other->empty()); // the DOWN after the reply was flushed
    }

    void asyncCrashKillsLinkedCaller() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt).pid;
        Agent a = agent(rt);
        rt.send(a.pid, Message::of(Job([sup](Context& c) {
            TaskSupervisor::async(c, sup, [](Context&) -> std::any { throw std::runtime_error("task_failed"); },
                                  [](Context&, Task) {});
        })));
        ExitReason why;
        QVERIFY(rt.awaitExit(a.pid, 1000, &why));
        QCOMPARE(QString::fromStdString(why.toString()), QString("task_failed"));
        QVERIFY(rt.alive(sup));
    }

    void asyncNolinkCrashOnlySendsDown() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt).pid;
        Agent a = agent(rt);
        rt.send(a.pid, Message::of(Job([sup](Context& c) {
            TaskSupervisor::asyncNolink(c, sup, [](Context&) -> std::any { throw std::runtime_error("task_failed"); },
                                        [](Context&, Task) {});
        })));
        rt.runUntilIdle();
        QVERIFY(rt.alive(a.pid));
        QCOMPARE(a.other->size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(a.other->front()), QString("DOWN:task_failed"));
    }

    void awaitOnCrashedNolinkTaskExitsCaller() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt).pid;
        Agent a = agent(rt);
        rt.send(a.pid, Message::of(Job([sup](Context& c) {
            TaskSupervisor::asyncNolink(c, sup, [](Context&) -> std::any { throw std::runtime_error("bad"); },
                                        [](Context& c2, Task t) { TaskSupervisor::await(c2, t, [](Context&, std::any) {}); });
        })));
        ExitReason why;
        QVERIFY(rt.awaitExit(a.pid, 1000, &why));
        QVERIFY(QString::fromStdString(why.toString()).startsWith("{bad,{'Elixir.Task',await,["));
    }

    void maxChildrenMakesAsyncCallerExit() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = TaskSupervisor::start(rt, {.maxChildren = 0}).pid;
        Agent a = agent(rt);
        rt.send(a.pid, Message::of(Job([sup](Context& c) {
            TaskSupervisor::async(c, sup, [](Context&) { return std::any(); }, [](Context&, Task) {});
        })));
        ExitReason why;
        QVERIFY(rt.awaitExit(a.pid, 1000, &why));
        QCOMPARE(QString::fromStdString(why.toString()), QString("max_children"));
    }
};

QTEST_GUILESS_MAIN(TestTaskSupervisor)
#include "tst_task_supervisor.moc"
