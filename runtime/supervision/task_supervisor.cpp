#include "runtime/supervision/task_supervisor.h"
#include "runtime/down_message.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/task_process.h"

namespace canopy {

using namespace supervision;

namespace {

DynamicSupervisorOptions dynOptions(const TaskSupervisorOptions& o) {
    DynamicSupervisorOptions d;
    d.maxRestarts = o.maxRestarts;
    d.maxSeconds = o.maxSeconds;
    d.maxChildren = o.maxChildren;
    return d;
}

ChildSpec taskSpec(std::function<void(Context&)> fn, Restart restart, Shutdown shutdown) {
    ChildSpec c;
    c.id = "task";
    c.restart = restart;
    c.shutdown = shutdown;
    c.start = [fn = std::move(fn)](Context& ctx) {
        return StartResult::ok(ctx.spawn(std::make_unique<TaskProcess>(fn), ChildSpec::spawnOptions()));
    };
    return c;
}

ChildSpec asyncSpec(std::function<std::any(Context&)> fn) {
    ChildSpec c;
    c.id = "task";
    c.restart = Restart::Temporary;
    c.start = [fn = std::move(fn)](Context& ctx) {
        return StartResult::ok(ctx.spawn(std::make_unique<TaskProcess>(fn), ChildSpec::spawnOptions()));
    };
    return c;
}

std::string awaitArgs(const Task& t, std::int64_t timeoutMs) {
    return "{'Elixir.Task',await,[" + t.pid.toString() + "," + std::to_string(timeoutMs) + "]}";
}

void startAsync(Context& ctx, const Pid& sup, std::function<std::any(Context&)> fn, bool link,
                TaskSupervisor::Then<Task> then) {
    DynamicSupervisor::startChild(ctx, sup, asyncSpec(std::move(fn)), [link, then = std::move(then)](Context& c, ChildResult r) {
        if (!r.ok() || !r.pid.valid()) {
            c.exit(r.error == SupervisorError::MaxChildren ? ExitReason::error("max_children") : r.reason);
            return;
        }
        if (link)
            c.link(r.pid);
        Task t{r.pid, c.monitor(r.pid), c.self()};
        c.send(r.pid, TaskGo{c.self(), t.ref.value});
        if (then)
            then(c, t);
    });
}

} // namespace

StartResult TaskSupervisor::startLink(Context& ctx, TaskSupervisorOptions options) {
    return DynamicSupervisor::startLink(ctx, dynOptions(options), options.name);
}

StartResult TaskSupervisor::start(Runtime& rt, TaskSupervisorOptions options) {
    return DynamicSupervisor::start(rt, dynOptions(options), options.name);
}

ChildSpec TaskSupervisor::childSpec(TaskSupervisorOptions options) {
    ChildSpec c;
    c.id = options.name.empty() ? "task_supervisor" : options.name;
    c.type = ChildType::Supervisor;
    c.start = [options](Context& ctx) { return TaskSupervisor::startLink(ctx, options); };
    return c;
}

ChildResult TaskSupervisor::startChild(Runtime& rt, const Pid& sup, std::function<void(Context&)> fn, Restart restart,
                                       Shutdown shutdown) {
    return DynamicSupervisor::startChild(rt, sup, taskSpec(std::move(fn), restart, shutdown));
}

void TaskSupervisor::startChild(Context& ctx, const Pid& sup, std::function<void(Context&)> fn, Then<ChildResult> then,
                                Restart restart, Shutdown shutdown) {
    DynamicSupervisor::startChild(ctx, sup, taskSpec(std::move(fn), restart, shutdown), std::move(then));
}

void TaskSupervisor::async(Context& ctx, const Pid& sup, std::function<std::any(Context&)> fn, Then<Task> then) {
    startAsync(ctx, sup, std::move(fn), true, std::move(then));
}

void TaskSupervisor::asyncNolink(Context& ctx, const Pid& sup, std::function<std::any(Context&)> fn, Then<Task> then) {
    startAsync(ctx, sup, std::move(fn), false, std::move(then));
}

void TaskSupervisor::await(Context& ctx, const Task& task, Then<std::any> then, std::int64_t timeoutMs) {
    const std::uint64_t ref = task.ref.value;
    ctx.receive(
        [ref](const Message& m) {
            if (auto* r = m.tryAs<TaskReply>())
                return r->ref == ref;
            if (auto* d = m.tryAs<DownMessage>())
                return d->ref.value == ref;
            return false;
        },
        timeoutMs,
        [task, timeoutMs, then = std::move(then)](Context& c, Message m) {
            if (!m) {
                c.exit(ExitReason::error("{timeout," + awaitArgs(task, timeoutMs) + "}"));
                return;
            }
            if (auto* r = m.tryAs<TaskReply>()) {
                c.demonitor(task.ref, true); // drops the DOWN that follows
                if (then)
                    then(c, std::move(r->result));
                return;
            }
            const DownMessage& d = m.as<DownMessage>();
            c.exit(ExitReason::error("{" + d.reason.toString() + "," + awaitArgs(task, timeoutMs) + "}"));
        });
}

} // namespace canopy
