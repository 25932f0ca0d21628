#pragma once
#include "runtime/exit_reason.h"
#include "runtime/pid.h"

namespace canopy {

/// `{'EXIT', From, Reason}`: an exit signal delivered as a message to a process that traps exits.
struct ExitMessage {
    Pid from;
    ExitReason reason;
};

} // namespace canopy
