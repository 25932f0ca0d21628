#pragma once
#include "runtime/exit_reason.h"
#include "runtime/pid.h"
#include "runtime/supervision/supervisor_error.h"
#include <string>

namespace canopy {

/// The result of a supervisor API call: `ok`, `{ok,Pid}`, `{ok,undefined}` (the child's init
/// returned ignore) or `{error,E}`.
struct ChildResult {
    /// None on success.
    SupervisorError error = SupervisorError::None;
    /// `{ok,Pid}`: the child; `{error,{already_started,Pid}}`: the running child; empty otherwise.
    Pid pid;
    /// StartFailed: the start error R; InvalidSpec: the validation error (`missing_id`, ...);
    /// CallFailed: the caller's exit reason OTP would raise.
    ExitReason reason;

    /// True for ok / {ok,_}.
    bool ok() const { return error == SupervisorError::None; }
    static ChildResult okPid(Pid p) { return {SupervisorError::None, std::move(p), {}}; }
    static ChildResult fail(SupervisorError e, ExitReason r = {}) { return {e, {}, std::move(r)}; }
    /// Printed like OTP: `ok`, `{ok,<0.5.0>}`, `{ok,undefined}`, `{error,not_found}`,
    /// `{error,{already_started,<0.5.0>}}`, `{error,{boom,...}}`, `{error,missing_id}`.
    std::string toString() const;
};

} // namespace canopy
