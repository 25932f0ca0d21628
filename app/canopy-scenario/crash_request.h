#pragma once
#include "runtime/exit_reason.h"

namespace canopy {

/// Call request telling a ScenarioWorker to stop itself with reason (`{stop,Reason,ok,State}`).
struct CrashRequest {
    ExitReason reason;
};

} // namespace canopy
