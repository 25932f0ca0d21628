#pragma once
#include "runtime/context.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_result.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/task.h"
#include <any>
#include <cstdint>
#include <functional>
#include <string>

namespace canopy {

/// Task.Supervisor options: a DynamicSupervisor with Elixir's defaults (3 restarts in 5 s,
/// max_children infinity).
struct TaskSupervisorOptions {
    /// Registered name ("" = none).
    std::string name;
    int maxRestarts = 3;
    int maxSeconds = 5;
    /// < 0 = infinity.
    int maxChildren = -1;
};

/// Elixir's Task.Supervisor: starts tasks (one-off functions in their own process) under a
/// DynamicSupervisor. Tasks default to restart temporary and shutdown 5000 ms. A task function runs
/// to completion in one go (it should not wait on a receive: the task exits when it returns).
class TaskSupervisor {
public:
    template <class T> using Then = std::function<void(Context&, T)>;

    /// Task.Supervisor.start_link from process code.
    static StartResult startLink(Context& ctx, TaskSupervisorOptions options = {});
    /// Starts a task supervisor from a plain thread.
    static StartResult start(Runtime& rt, TaskSupervisorOptions options = {});
    /// A child spec for a task supervisor (type supervisor, id = name or "task_supervisor").
    static ChildSpec childSpec(TaskSupervisorOptions options = {});

    /// start_child/3: a task not linked to the caller. Temporary (default) tasks are never
    /// restarted; a transient one is restarted after a crash.
    static ChildResult startChild(Runtime& rt, const Pid& sup, std::function<void(Context&)> fn,
                                  Restart restart = Restart::Temporary, Shutdown shutdown = Shutdown::timeout(5000));
    /// start_child/3 from process code.
    static void startChild(Context& ctx, const Pid& sup, std::function<void(Context&)> fn, Then<ChildResult> then,
                           Restart restart = Restart::Temporary, Shutdown shutdown = Shutdown::timeout(5000));

    /// async/2: the caller links to and monitors the task (a crash kills a non-trapping caller).
    /// Failure to start (e.g. max_children) makes the caller exit, as Elixir raises.
    static void async(Context& ctx, const Pid& sup, std::function<std::any(Context&)> fn, Then<Task> then);
    /// async_nolink/2: monitor only; a crash only sends the DOWN.
    static void asyncNolink(Context& ctx, const Pid& sup, std::function<std::any(Context&)> fn, Then<Task> then);
    /// Task.await/2 (default 5000 ms): the result; on the task's crash the caller exits
    /// `{Reason,{Task,await,[..]}}`, on timeout `{timeout,{Task,await,[..]}}` (the task keeps running).
    /// The DOWN of a finished task is flushed.
    static void await(Context& ctx, const Task& task, Then<std::any> then, std::int64_t timeoutMs = 5000);
};

} // namespace canopy
