#pragma once
#include "runtime/pid.h"
#include "runtime/supervision/restart.h"
#include "runtime/supervision/shutdown.h"
#include <string>

namespace canopy::supervision {

/// Internal: one running child a supervisor is about to stop.
struct ShutdownTarget {
    Pid pid;
    Shutdown shutdown = Shutdown::timeout(5000);
    Restart restart = Restart::Permanent;
    std::string id;
};

} // namespace canopy::supervision
