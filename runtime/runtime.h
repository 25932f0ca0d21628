#pragma once
#include "runtime/actor.h"
#include "runtime/call_outcome.h"
#include "runtime/clock.h"
#include "runtime/event_sink.h"
#include "runtime/exit_reason.h"
#include "runtime/message.h"
#include "runtime/pid.h"
#include "runtime/process_counters.h"
#include "runtime/process_info.h"
#include "runtime/process_view.h"
#include "runtime/runtime_options.h"
#include "runtime/server_options.h"
#include "runtime/spawn_options.h"
#include "runtime/start_result.h"
#include "runtime/trace_event.h"
#include "runtime/trace_flags.h"
#include "runtime/timer_ref.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace canopy {

class GenServer;
class ManualClock;
class RuntimeCore;

/// An actor runtime: processes scheduled M:N on a fixed pool of worker threads (or, in manual mode,
/// stepped by the test). Several runtimes may live side by side. Destroying it kills every process.
class Runtime {
public:
    explicit Runtime(RuntimeOptions options = {});
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    /// Spawns a process running actor (from outside any process: no parent, no link).
    Pid spawn(std::unique_ptr<Actor> actor, SpawnOptions opts = {});
    /// Spawns a process running `fn(Context&, Message&)` for each message.
    Pid spawnFn(std::function<void(Context&, Message&)> fn, SpawnOptions opts = {});
    /// gen_server:start from a plain thread (init runs before it returns; not linked).
    StartResult startServer(std::unique_ptr<GenServer> server, ServerOptions opts = {});

    /// Sends a message from outside any process. To a dead pid: nothing.
    void send(const Pid& to, Message msg);
    template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Message>>>
    void send(const Pid& to, T&& value) {
        send(to, Message::of(std::forward<T>(value)));
    }
    /// Sends to a registered name; false when not registered.
    bool sendNamed(std::string_view name, Message msg);
    /// exit(Pid, Reason) from outside (the signal's From is an empty pid).
    void exit(const Pid& target, ExitReason reason);
    /// gen_server:call from a plain (non-process) thread: blocks this thread up to timeoutMs.
    /// In manual mode it steps the runtime instead of blocking.
    CallOutcome call(const Pid& server, Message request, std::int64_t timeoutMs = 5000);
    /// gen_server:cast.
    void cast(const Pid& server, Message request);
    /// Sends msg to `to` after ms milliseconds.
    TimerRef sendAfter(std::int64_t ms, const Pid& to, Message msg);
    bool cancelTimer(TimerRef ref);

    /// whereis(Name): empty Pid when unregistered.
    Pid whereis(std::string_view name) const;
    /// register(Name, Pid) from outside; false if taken, the pid is dead or already named.
    bool registerName(std::string name, const Pid& pid);
    /// True while the process has not exited.
    bool alive(const Pid& pid) const;
    /// The live process with this numeric id (empty Pid if none).
    Pid findPid(std::uint64_t id) const;
    /// A copy of one process's observable state (nullopt when dead).
    std::optional<ProcessInfo> info(const Pid& pid) const;
    /// erlang:trace(Target, true, Flags ++ [{tracer, Tracer}]): from now on every message target
    /// sends (flags.send) or is delivered (flags.receive) becomes a TraceEvent message to tracer.
    /// Flags all false turn tracing of target off. Costs nothing measurable for untraced processes
    /// (one test of a word on a line the send already touches). Events to a dead tracer are dropped.
    /// False when target is dead, tracer is empty, or 4095 distinct tracers are already in use.
    bool trace(const Pid& target, TraceFlags flags, const Pid& tracer = {});
    /// Walks the process table while the system runs (no process is paused or messaged).
    void forEachProcess(const std::function<void(const ProcessInfo&)>& fn) const;
    /// The same walk without a per-process allocation: the view's texts and lists are valid only
    /// during fn (what a probe encoding a keyframe of 100k processes uses).
    void forEachProcessView(const std::function<void(const ProcessView&)>& fn) const;
    /// Calls fn with a view of one live process; false (fn not called) when it is dead.
    bool viewProcess(const Pid& pid, const std::function<void(const ProcessView&)>& fn) const;
    /// Only the counters (mailbox length, messages handled, status) of every live process: relaxed
    /// loads under each table shard's lock, no process lock, no reference taken — a sampler's walk.
    void forEachProcessCounters(const std::function<void(const ProcessCounters&)>& fn) const;
    /// Live processes.
    std::size_t processCount() const;

    /// Waits until the process has exited (true) or timeoutMs passed (false); the reason is stored
    /// in *reason when given. In manual mode steps the runtime instead.
    bool awaitExit(const Pid& pid, std::int64_t timeoutMs, ExitReason* reason = nullptr);
    /// Waits until no process is runnable or running and no timer is due (threaded mode); in manual
    /// mode same as runUntilIdle(). False on timeout.
    bool waitIdle(std::int64_t timeoutMs = 10'000);

    /// Attaches (or with nullptr detaches) the lifecycle event sink. Returns once no thread is still
    /// inside the previous sink's onEvent, so it may be destroyed right after.
    void setEventSink(EventSink* sink);
    /// Reports an event to the attached sink (no-op without one); fills timeNs when it is 0.
    /// Used by library layers above the core (supervision) to report their events.
    void emit(const RuntimeEvent& event) const;
    /// True when a sink is attached (lets callers skip building an event).
    bool hasEventSink() const;
    /// The clock used for timers, timeouts and restart windows.
    const Clock& clock() const;
    /// Worker threads (0 in manual mode).
    unsigned workerCount() const;

    /// Manual mode: runs processes until none is runnable; returns the number of turns made.
    std::size_t runUntilIdle();
    /// Manual mode: moves the clock forward by ms, firing due timers in deadline order (running the
    /// processes they wake after each), then runs until idle.
    void advanceClock(std::int64_t ms);
    /// Manual mode: the earliest pending timer deadline (ns), if any.
    std::optional<std::int64_t> nextTimerNs() const;
    /// Manual mode: the manual clock (nullptr in threaded mode).
    ManualClock* manualClock() const;

    /// Runtime internal.
    RuntimeCore& core() const { return *m_core; }

private:
    std::unique_ptr<RuntimeCore> m_core;
};

} // namespace canopy
