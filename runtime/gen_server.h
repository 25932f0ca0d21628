#pragma once
#include "runtime/actor.h"
#include "runtime/context.h"
#include "runtime/exit_reason.h"
#include "runtime/from.h"
#include "runtime/init_result.h"
#include "runtime/pid.h"
#include "runtime/server_result.h"
#include "runtime/timer_ref.h"
#include <cstdint>

namespace canopy {

/// gen_server: a process with init / handle_call / handle_cast / handle_info / handle_continue /
/// terminate callbacks and OTP's return values. Start it with Context::startLink or
/// Runtime::startServer; init runs before the start call returns.
///
/// terminate runs only as in OTP: on a stop return, on an exception in a callback, or on the parent's
/// exit signal when the server traps exits — never on kill, never when not trapping.
class GenServer : public Actor {
public:
    /// init/1. Default: `{ok,State}`.
    virtual InitResult init(Context& ctx) { return InitResult::ok(); }
    /// handle_call/3. Default: stops with `{bad_call,..}` like an unimplemented callback.
    virtual ServerResult handleCall(Context& ctx, Message& request, const From& from);
    /// handle_cast/2. Default: stops with `{bad_cast,..}`.
    virtual ServerResult handleCast(Context& ctx, Message& request);
    /// handle_info/2 (any other message, trapped EXITs from non-parents, DOWNs, ServerTimeout).
    /// Default: ignore.
    virtual ServerResult handleInfo(Context& ctx, Message& msg) { return ServerResult::noreply(); }
    /// handle_continue/2.
    virtual ServerResult handleContinue(Context& ctx, Message& cont) { return ServerResult::noreply(); }
    /// terminate/2.
    virtual void terminate(Context& ctx, const ExitReason& reason) {}

    std::string initialCall() const override { return "gen_server"; }

    /// Runtime internal: the loop.
    void onMessage(Context& ctx, Message& msg) final;
    /// Runtime internal: runs a pending `{continue,C}` from init before any message.
    void onStart(Context& ctx) final;
    /// Runtime internal: runs init in the new process and applies its result.
    InitResult runInit(Context& ctx);
    /// The parent whose `{'EXIT',Parent,R}` is intercepted.
    const Pid& parent() const { return m_parent; }
    void setParent(Pid p) { m_parent = std::move(p); }

private:
    void apply(Context& ctx, ServerResult&& r, const From* from);
    void armTimeout(Context& ctx, std::int64_t ms);
    void stopWith(Context& ctx, const ExitReason& reason);
    template <class F> void guarded(Context& ctx, F&& f);

    Pid m_parent;
    std::uint64_t m_timeoutGen = 0;
    TimerRef m_timeoutTimer;
    Message m_pendingContinue;
};

} // namespace canopy
