#pragma once
#include "runtime/call_outcome.h"
#include "runtime/message.h"
#include "runtime/pid.h"
#include <cstdint>
#include <functional>

namespace canopy {

class Context;

/// The gen_server call a process is waiting in (runtime internal): one slot per process, matched
/// by tag in the turn loop. The tag is also the reference of the call's monitor on the server,
/// which lives only in the server's table (a DOWN with this tag is the call's).
struct PendingCall {
    /// 0 while no call is pending.
    std::uint64_t tag = 0;
    Pid server;
    std::int64_t timeoutMs = 0;
    /// Context::call's continuation (failures end the caller) ...
    std::function<void(Context&, Message)> onReply;
    /// ... or Context::tryCall's (gets every outcome).
    std::function<void(Context&, CallOutcome)> onOutcome;
};

} // namespace canopy
