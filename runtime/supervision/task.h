#pragma once
#include "runtime/monitor_ref.h"
#include "runtime/pid.h"
#include <any>
#include <cstdint>

namespace canopy {

/// Elixir's %Task{}: the task process, the monitor its owner holds on it, and the owner.
struct Task {
    Pid pid;
    MonitorRef ref;
    Pid owner;
};

/// `{ref, result}`: what a finished async task sends its owner (then it exits normal).
struct TaskReply {
    std::uint64_t ref = 0;
    std::any result;
};

} // namespace canopy
