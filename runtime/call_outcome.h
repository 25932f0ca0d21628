#pragma once
#include "runtime/exit_reason.h"
#include "runtime/message.h"

namespace canopy {

/// The caller-side result of a call: a reply, or why there is none (OTP's exit reasons:
/// `{timeout,{gen_server,call,..}}`, `{noproc,..}`, `{R,..}` when the server died with R,
/// `{calling_self,..}`).
struct CallOutcome {
    /// Why a call failed.
    enum class Error : std::uint8_t { None, Timeout, Noproc, ServerExited, CallingSelf };
    Error error = Error::None;
    Message reply;
    /// For ServerExited: the server's exit reason.
    ExitReason serverReason;
    /// The reason OTP's caller would exit with (e.g. `{timeout,{gen_server,call,[<0.5.0>,5000]}}`).
    ExitReason exitReason;

    bool ok() const { return error == Error::None; }
};

} // namespace canopy
