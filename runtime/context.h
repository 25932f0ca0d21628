#pragma once
#include "runtime/actor.h"
#include "runtime/call_outcome.h"
#include "runtime/exit_reason.h"
#include "runtime/from.h"
#include "runtime/message.h"
#include "runtime/monitor_ref.h"
#include "runtime/pid.h"
#include "runtime/server_options.h"
#include "runtime/spawn_options.h"
#include "runtime/start_result.h"
#include "runtime/timer_ref.h"
#include "runtime/trace_flags.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

namespace canopy {

class Runtime;
class GenServer;

/// The process-side API, handed to an actor's handlers. Valid only during the handler call and only
/// on the thread running it. Nothing here blocks a scheduler thread: waiting (selective receive,
/// calls) takes a continuation and returns at once.
class Context {
public:
    Context(Runtime& rt, Process& self) : m_rt(&rt), m_self(&self) {}

    /// This process's pid.
    Pid self() const;
    Runtime& runtime() const { return *m_rt; }
    /// Monotonic milliseconds of the runtime's clock.
    std::int64_t nowMs() const;

    /// Sends a message (any movable value). To a dead pid: silently nothing.
    void send(const Pid& to, Message msg);
    template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Message>>>
    void send(const Pid& to, T&& value) {
        send(to, Message::of(std::forward<T>(value)));
    }
    /// Sends to a registered name; false (and nothing sent) when the name is not registered.
    bool sendNamed(std::string_view name, Message msg);
    /// erlang:trace/3: see Runtime::trace.
    bool trace(const Pid& target, TraceFlags flags, const Pid& tracer);

    /// Spawns a process running actor.
    Pid spawn(std::unique_ptr<Actor> actor, SpawnOptions opts = {});
    /// spawn_link.
    Pid spawnLink(std::unique_ptr<Actor> actor, SpawnOptions opts = {}) {
        opts.link = true;
        return spawn(std::move(actor), std::move(opts));
    }

    /// Links to another process. Dead target: a non-trapping caller exits noproc (OTP raises
    /// error:noproc); a trapping caller gets `{'EXIT',Dead,noproc}`.
    void link(const Pid& other);
    /// Removes a link (both directions) and drops a queued `{'EXIT',Other,_}` from it (unlink_flush).
    void unlink(const Pid& other);
    /// Monitors a process: one DownMessage per call when it ends (`noproc` at once if dead).
    MonitorRef monitor(const Pid& target);
    /// Monitors a registered name; unregistered → immediate DOWN noproc carrying the name.
    MonitorRef monitor(std::string_view name);
    /// Removes a monitor; with flush also drops its queued DownMessage. False for an unknown monitor
    /// (OTP's `[info]` result).
    bool demonitor(MonitorRef ref, bool flush = false);

    /// process_flag(trap_exit, On): exit signals arrive as ExitMessage instead of killing.
    void trapExit(bool on);
    bool trappingExits() const;

    /// exit(Reason) of this process: it ends after the current handler returns.
    void exit(ExitReason reason);
    /// exit(Pid, Reason): sends an exit signal to target (kill is untrappable → killed).
    void exit(const Pid& target, ExitReason reason);

    /// Sends msg to `to` after ms milliseconds of the runtime's clock.
    TimerRef sendAfter(std::int64_t ms, const Pid& to, Message msg);
    /// Cancels a pending timer; false if it already fired or was cancelled.
    bool cancelTimer(TimerRef ref);

    /// register(Name, self()); false if the name is taken or this process already has one.
    bool registerName(std::string name);
    /// Releases this process's registered name.
    void unregisterName();
    /// whereis(Name): empty Pid when not registered.
    Pid whereis(std::string_view name) const;

    /// Selective receive: until `match` accepts a message, other messages stay queued (in order) and
    /// the actor's onMessage is not called. `then` gets the matched message, or an empty Message
    /// after timeoutMs (< 0 = infinity). One receive may be pending at a time.
    void receive(std::function<bool(const Message&)> match, std::int64_t timeoutMs,
                 std::function<void(Context&, Message)> then);

    /// gen_server:call from process code. While waiting, the caller handles nothing else (as in
    /// OTP). On failure the caller exits with OTP's reason; `then` sees only replies.
    void call(const Pid& server, Message request, std::int64_t timeoutMs,
              std::function<void(Context&, Message)> then);
    /// Like call, but failures are handed to `then` instead of ending the caller (a caught call).
    void tryCall(const Pid& server, Message request, std::int64_t timeoutMs,
                 std::function<void(Context&, CallOutcome)> then);
    /// gen_server:cast: always succeeds, even to a dead pid.
    void cast(const Pid& server, Message request);
    /// gen_server:reply.
    void reply(const From& from, Message response);

    /// gen_server:start_link: starts `server` linked to this process; init runs before it returns.
    StartResult startLink(std::unique_ptr<GenServer> server, ServerOptions opts = {});
    /// gen_server:start (not linked).
    StartResult start(std::unique_ptr<GenServer> server, ServerOptions opts = {});

    /// Inside an init (which runs inline, before start returns): runs the processes started during
    /// this init chain — whose scheduling is held back until the outermost init returns — until none
    /// has work left, so e.g. a failing supervisor init can stop its started children before it
    /// returns, as OTP's blocking init does. Outside an init: does nothing.
    void settleStarted();

    /// Publishes supervision metadata for this process (observers read it). Call once, in init.
    void setMeta(std::shared_ptr<const ChildMeta> meta);
    /// The metadata published for this process (nullptr if none).
    const ChildMeta* meta() const;

    /// Runtime internal.
    Process& process() const { return *m_self; }

private:
    Runtime* m_rt;
    Process* m_self;
};

} // namespace canopy
