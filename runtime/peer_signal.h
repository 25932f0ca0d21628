#pragma once
#include "runtime/pid.h"

namespace canopy {

/// Payload of link / unlink signals: who sent it. (Monitors need no signal: a watcher adds its
/// monitor to the target's table directly.)
struct PeerSignal {
    Pid from;
};

} // namespace canopy
