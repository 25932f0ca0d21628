#pragma once
#include "runtime/actor.h"
#include "runtime/pid.h"
#include <cstdint>
#include <any>
#include <functional>

namespace canopy::supervision {

/// Internal: the go signal an async task waits for (`{owner, ref, reply_to, callers, mfa}`).
struct TaskGo {
    Pid owner;
    std::uint64_t ref = 0;
};

/// Internal: a Task.Supervised process. A plain task runs its function at once and exits normal;
/// an async task waits for TaskGo, runs, sends TaskReply{ref, result} to its owner, exits normal.
/// An exception becomes its exit reason.
class TaskProcess : public Actor {
public:
    explicit TaskProcess(std::function<void(Context&)> run) : m_run(std::move(run)) {}
    explicit TaskProcess(std::function<std::any(Context&)> compute) : m_compute(std::move(compute)) {}
    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Task.Supervised"; }

private:
    std::function<void(Context&)> m_run;
    std::function<std::any(Context&)> m_compute;
};

} // namespace canopy::supervision
