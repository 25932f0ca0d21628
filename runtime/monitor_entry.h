#pragma once
#include "runtime/monitor_ref.h"
#include "runtime/pid.h"
#include <cstdint>

namespace canopy {

/// One monitor as a process's tables hold it: its reference and the other process (the target in
/// the watcher's table, the watcher in the target's). An empty ref marks a hole.
struct MonitorEntry {
    MonitorRef ref;
    Pid pid;
};

/// The key of a monitor entry: its reference.
struct MonitorKey {
    std::uint64_t operator()(const MonitorEntry& e) const { return e.ref.value; }
};

} // namespace canopy
