#pragma once
#include "runtime/monitor_ref.h"
#include "runtime/pid.h"

namespace canopy {

/// Payload of link / unlink / monitor / demonitor signals: who sent it, and the monitor's ref.
struct PeerSignal {
    Pid from;
    MonitorRef ref;
};

} // namespace canopy
