#pragma once
#include "runtime/actor.h"
#include "runtime/call_outcome.h"
#include "runtime/event_sink.h"
#include "runtime/exit_reason.h"
#include "runtime/message.h"
#include "runtime/monitor_ref.h"
#include "runtime/name_registry.h"
#include "runtime/pid.h"
#include "runtime/process_info.h"
#include "runtime/process_view.h"
#include "runtime/process_table.h"
#include "runtime/runtime_options.h"
#include "runtime/scheduler.h"
#include "runtime/server_options.h"
#include "runtime/signal_kind.h"
#include "runtime/spawn_options.h"
#include "runtime/start_result.h"
#include "runtime/timer_service.h"
#include "runtime/trace_flags.h"
#include "runtime/tracer_table.h"
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace canopy {

class Runtime;
class Process;
class Context;
class GenServer;
class ManualClock;
struct ProcessExtras;

/// The runtime's machinery behind the Runtime facade and Context (runtime internal): process
/// creation and death, signal delivery, the turn loop, timers, names, the event sink.
class RuntimeCore {
public:
    RuntimeCore(Runtime& facade, RuntimeOptions options);
    ~RuntimeCore();
    /// Stops threads and kills every remaining process.
    void shutdown();

    // --- processes
    /// Creates and schedules a process (its onStart runs on its first turn).
    Pid spawn(std::unique_ptr<Actor> actor, SpawnOptions opts, Process* spawner);
    /// gen_server start / start_link: runs init inline in the new process's context.
    StartResult startServer(Process* caller, bool link, std::unique_ptr<GenServer> server, ServerOptions opts);

    // --- delivery (any thread)
    /// Pushes a node to p's mailbox and makes p runnable. p may be dead (then the node is drained).
    /// `from`: the sending process's id, 0 for none (only for the receiver's trace).
    void deliver(Process* p, MessageNode* n, std::uint64_t from = 0);
    /// Like deliver, but p is made runnable via Scheduler::enqueueBackground (no receive tracing).
    void deliverBackground(Process* p, MessageNode* n);
    void send(const Pid& to, Message msg, std::uint64_t from = 0) {
        if (to.valid()) deliver(to.process(), msg.release(), from);
    }
    /// A send by process `self` (traced when self's trace word says so).
    void sendFrom(const ProcessAnchor& self, const Pid& to, Message msg) {
        if (const std::uint32_t w = self.trace.load(std::memory_order_acquire); w & TraceFlags::SendBit) [[unlikely]]
            traceSend(self, w, to.id(), msg.node());
        send(to, std::move(msg), self.id);
    }
    /// An exit signal from `from` (empty = outside any process); viaLink = sent because a link broke.
    void sendExit(const Pid& target, const Pid& from, ExitReason reason, bool viaLink);
    /// A link / unlink signal.
    void sendPeerSignal(const Pid& target, SignalKind kind, const Pid& from);
    /// A DOWN for watcher.
    void sendDown(const Pid& watcher, MonitorRef ref, const Pid& who, std::string name, ExitReason reason);

    // --- running (the scheduler's side)
    /// Called by each worker thread once, before its first turn: worker indexes are unique, so the
    /// first Mailbox::OwnedSlots workers count their pushes in a mailbox slot of their own.
    void bindWorkerThread(unsigned workerIndex);
    /// Runs one turn of p; the caller passes p's scheduling token and one reference.
    void runTurn(Process* p);
    /// Makes a freshly created process runnable — or, while an inline init runs on this thread,
    /// holds it back until the outermost init returns (so that init can still settle it).
    void schedule(Process* p);
    /// Inside an inline init: runs the processes started (and held back) during the init chain on
    /// this thread until none has work left. Outside an init: does nothing.
    void settleStarted();

    // --- process-side operations (owner thread)
    void link(Process& self, const Pid& other);
    void unlink(Process& self, const Pid& other);
    /// report = false for monitors internal to a call (not worth an event each).
    MonitorRef monitor(Process& self, const Pid& target, std::string name = {}, bool report = true);
    bool demonitor(Process& self, MonitorRef ref, bool flush, bool report = true);
    /// gen_server:call from process code: monitors the server (directly in its table, no signal),
    /// sends the request and makes self wait in its pending-call slot. Exactly one of onReply (call:
    /// a failure ends self with OTP's reason) and onOutcome (tryCall) is set.
    void beginCall(Process& self, const Pid& server, Message request, std::int64_t timeoutMs,
                   std::function<void(Context&, Message)> onReply,
                   std::function<void(Context&, CallOutcome)> onOutcome);
    /// Selective receive: self waits until match accepts a message or timeoutMs (< 0: never) passes.
    void beginReceive(Process& self, std::function<bool(const Message&)> match, std::int64_t timeoutMs,
                      std::function<void(Context&, Message)> then);
    /// gen_server:call from a plain thread: blocks it (threaded) or steps the runtime (manual) until
    /// the reply, the server's DOWN or the timeout. No process is spawned: the thread waits through
    /// a reusable ExternalProcess.
    CallOutcome callFromOutside(const Pid& server, Message request, std::int64_t timeoutMs);
    /// Waits from a plain thread until pid has exited (true, reason in *reason) or timeoutMs passed.
    bool awaitExitFromOutside(const Pid& pid, std::int64_t timeoutMs, ExitReason* reason);
    /// `{gen_server,call,[Server,Timeout]}`: the tail of a failed call's exit reason.
    static std::string callArgs(const Pid& server, std::int64_t timeoutMs);
    bool registerName(Process& self, std::string name);
    void unregisterName(Process& self);
    /// Ends the process now (owner thread, outside its handlers): links, monitors, name, sink.
    void die(Process* p, ExitReason reason);

    // --- tracing (erlang:trace/3)
    /// Sets what of target is traced and to whom (any thread); flags all false = off. False when
    /// target is dead, the tracer is not a pid, or the runtime has no tracer slot left.
    bool setTrace(Process& target, TraceFlags flags, const Pid& tracer);
    /// The slow paths behind one test of the trace word (owner thread / delivering thread).
    void traceSend(const ProcessAnchor& self, std::uint32_t word, std::uint64_t to, const MessageNode* n);
    void traceReceive(const ProcessAnchor& target, std::uint32_t word, std::uint64_t from, const MessageNode* n);

    // --- observability
    /// Buffers a ProcessView points into, reused across a walk.
    struct ViewScratch {
        std::vector<std::uint64_t> links;
        std::vector<std::uint64_t> monitors;
        std::string name;
    };
    /// Reads p without allocating (beyond growing scratch); valid while p and scratch are.
    ProcessView viewOf(const Process& p, ViewScratch& scratch) const;
    ProcessInfo infoOf(const Process& p) const;
    void emit(RuntimeEventType type, std::uint64_t pid, std::uint64_t peer, std::string_view text,
              const ExitReason* reason) const;
    EventSink* sink() const { return m_sink.load(std::memory_order_acquire); }
    /// Replaces the sink; returns once no thread is still inside a call to the previous one (so
    /// the caller may destroy it).
    void setSink(EventSink* s);
    /// Hands an event to the current sink, if any, counted as in flight for setSink.
    void toSink(const RuntimeEvent& e) const;

    /// Starts a timer: msg goes to `to` at deadlineNs. On a worker thread it goes into that worker's
    /// timer wheel (no lock shared with other workers); elsewhere, and in manual mode, into the
    /// runtime's TimerService.
    TimerRef addTimer(std::int64_t deadlineNs, Pid to, MessageNode* msg);
    /// Cancels a timer from any thread; false if it already fired or was cancelled.
    bool cancelTimer(TimerRef ref);
    /// The earliest pending timer of any kind (threaded: wheels and TimerService).
    std::optional<std::int64_t> nextTimerNs() const;

    MonitorRef newRef() { return MonitorRef{m_nextRef.fetch_add(1, std::memory_order_relaxed)}; }
    std::int64_t nowNs() const { return m_clock->nowNs(); }

    Runtime& facade;
    std::shared_ptr<Clock> m_clock;
    ManualClock* m_manualClock = nullptr;
    bool manualMode = false;
    unsigned budget = 64;
    /// Mailbox push slots 1..workerPushSlots belong to this runtime's workers (see bindWorkerThread);
    /// a thread's outside slot (outside_push_slot.h) counts into this runtime's mailboxes only above.
    unsigned workerPushSlots = 0;
    std::unique_ptr<Scheduler> scheduler;
    TimerService timers;
    ProcessTable table;
    NameRegistry names;
    TracerTable tracers;

private:
    Process* create(std::unique_ptr<Actor> actor, const SpawnOptions& opts, Process* spawner);
    Message processSignal(Process* p, MessageNode* n);
    void drainDead(Process* p);
    void finishTurn(Process* p, bool more);
    bool runMessages(Process* p, unsigned budget);
    /// Deletes the stashed (set-aside) messages of self that `drop` selects.
    void dropFromStash(Process& self, const std::function<bool(const Message&)>& drop);
    bool handleReceiveStash(Process* p, Context& ctx);
    /// A message popped while p waits: completes its receive or call, or sets it aside.
    void offerToWait(Process* p, Context& ctx, ProcessExtras& ex, Message m);
    void completeReceive(Process* p, Context& ctx, Message m);
    /// Ends p's pending call with a reply (CallReply), a DOWN of the server, or a timeout (empty).
    void completeCall(Process* p, Context& ctx, ProcessExtras& ex, Message m);
    /// The wait deadline of a receive or call starting now; arms a wait tick when needed.
    void startWait(Process& p, ProcessExtras& ex, std::int64_t timeoutMs);
    void endWait(ProcessExtras& ex);
    void armTick(Process& p, ProcessExtras& ex, std::int64_t deadlineNs);
    /// A wait tick arrived: the wait's timeout (ReceiveTimeout) if its deadline passed, else nothing.
    Message onWaitTick(Process* p, MessageNode* n);
    /// Adds watcher's monitor ref to target's table; false when target has already exited.
    bool addWatcher(Process& target, MonitorRef ref, const Pid& watcher);
    /// Removes monitor ref from target's table (nothing if target exited meanwhile).
    void removeWatcher(const Pid& target, MonitorRef ref);
    void invoke(Process* p, Context& ctx, Message& m);
    void release(Process* p);
    /// A stand-in process for a waiting plain thread (from the pool, or new), and back.
    Pid acquireExternal();
    void releaseExternal(Pid e);
    /// Hands every node reaching external e's mailbox to take (which owns it) until take returns
    /// true (true) or timeoutMs (< 0: never) passes (false). Manual mode steps the runtime meanwhile.
    bool waitExternal(Process& e, std::int64_t timeoutMs, const std::function<bool(MessageNode*)>& take);

    std::mutex m_externalMutex;
    std::vector<Pid> m_idleExternals;
    std::atomic<EventSink*> m_sink{nullptr};
    /// Threads between reading m_sink and returning from its onEvent.
    mutable std::atomic<std::int64_t> m_sinkCalls{0};
    std::atomic<std::uint64_t> m_nextPid{1};
    std::atomic<std::uint64_t> m_nextRef{1};
    bool m_shutDown = false;
};

} // namespace canopy
