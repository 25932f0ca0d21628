#pragma once
#include "runtime/exit_reason.h"
#include "runtime/monitor_ref.h"
#include "runtime/pid.h"
#include <string>

namespace canopy {

/// `{'DOWN', Ref, process, Pid, Reason}`: the monitored process ended (or never existed: noproc).
struct DownMessage {
    MonitorRef ref;
    Pid pid;
    /// Set when the monitor was made by registered name (then pid may be empty).
    std::string name;
    ExitReason reason;
};

} // namespace canopy
