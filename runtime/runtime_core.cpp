#include "runtime/runtime_core.h"
#include "runtime/trace_event.h"
#include "runtime/call_reply.h"
#include "runtime/call_request.h"
#include "runtime/context.h"
#include "runtime/down_message.h"
#include "runtime/exit_message.h"
#include "runtime/external_process.h"
#include "runtime/gen_server.h"
#include "runtime/manual_clock.h"
#include "runtime/manual_scheduler.h"
#include "runtime/peer_signal.h"
#include "runtime/process.h"
#include "runtime/receive_timeout.h"
#include "runtime/runtime.h"
#include "runtime/steady_clock.h"
#include "runtime/thread_pool_scheduler.h"
#include "runtime/timer_wheel.h"
#include "runtime/wait_tick.h"
#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace canopy {

void destroyProcessAnchor(ProcessAnchor* anchor) noexcept {
    auto* p = static_cast<Process*>(anchor);
    if (p->status.load(std::memory_order_relaxed) == ProcessStatus::External) delete static_cast<ExternalProcess*>(p);
    else delete p;
}

namespace {
/// Processes created while an inline init runs on this thread; scheduled when the outermost returns.
struct InitScope {
    std::vector<Process*> held;
};
thread_local InitScope* tlsInitScope = nullptr;
/// The runtime whose worker this thread is, and the mailbox push slot the worker owns in it.
thread_local const RuntimeCore* tlsPushCore = nullptr;
thread_local unsigned tlsPushSlot = 0;

/// Interns initial-call texts: spawns of the same kind share one string (a thread-local one-entry
/// cache avoids the lock in spawn loops).
const std::string* internInitialCall(const std::string& text) {
    thread_local const std::string* last = nullptr;
    if (last && *last == text) return last;
    static std::mutex mutex;
    static auto* table = new std::unordered_set<std::string>();
    std::lock_guard g(mutex);
    last = &*table->insert(text).first;
    return last;
}
} // namespace

RuntimeCore::RuntimeCore(Runtime& rt, RuntimeOptions options) : facade(rt), timers(*this) {
    manualMode = options.manual;
    budget = options.budget ? options.budget : 64;
    if (options.clock) {
        m_clock = options.clock;
        m_manualClock = dynamic_cast<ManualClock*>(m_clock.get());
    } else if (manualMode) {
        auto mc = std::make_shared<ManualClock>();
        m_manualClock = mc.get();
        m_clock = mc;
    } else {
        m_clock = std::make_shared<SteadyClock>();
    }
    if (manualMode) {
        scheduler = std::make_unique<ManualScheduler>(*this);
    } else {
        unsigned n = options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
        scheduler = std::make_unique<ThreadPoolScheduler>(*this, n, options.spinBeforePark);
        scheduler->start();
        timers.startThread();
    }
}

RuntimeCore::~RuntimeCore() { shutdown(); }

void RuntimeCore::shutdown() {
    if (m_shutDown) return;
    m_shutDown = true;
    timers.stop();
    scheduler->stop();
    // Kill what is left, then drain every queue until nothing is runnable.
    for (int round = 0; round < 8; ++round) {
        std::vector<Pid> left = table.drainAll();
        for (const Pid& pid : left) {
            Process* p = pid.process();
            if (!p->dead.load()) die(p, ExitReason::killed());
        }
        bool any = false;
        while (Process* p = scheduler->takeAny()) {
            any = true;
            drainDead(p);
            p->sched.store(0);
            p->release();
        }
        if (left.empty() && !any) break;
    }
}

// ---------------------------------------------------------------- creation

Process* RuntimeCore::create(std::unique_ptr<Actor> actor, const SpawnOptions& opts, Process* spawner) {
    std::uint64_t id = m_nextPid.fetch_add(1, std::memory_order_relaxed);
    auto* p = new Process(*this, id, std::move(actor));
    p->initialCall = internInitialCall(p->actor->initialCall());
    p->parent = opts.parent.valid() ? opts.parent.id() : (spawner ? spawner->id : 0);
    p->trapExit.store(opts.trapExit, std::memory_order_relaxed);
    if (opts.meta) {
        p->metas = std::make_unique<std::vector<std::shared_ptr<const ChildMeta>>>(1, opts.meta);
        p->meta.store(opts.meta.get(), std::memory_order_release);
    }
    return p;
}

Pid RuntimeCore::spawn(std::unique_ptr<Actor> actor, SpawnOptions opts, Process* spawner) {
    if (!actor) return {};
    Process* p = create(std::move(actor), opts, spawner);
    // Three references from the start, set before the block is shared (no locked add per
    // reference): the table's, the returned pid's (adopted) and the scheduler's.
    p->refs.store(3, std::memory_order_relaxed);
    Pid pid(p, /*adopt=*/true);
    if (!opts.name.empty()) {
        if (!names.add(opts.name, pid)) {
            table.forget(p->id);
            p->release(); // the scheduler's
            p->release(); // the table's (the pid's goes with it)
            return {};
        }
        p->ext().name = opts.name;
    }
    p->sched.store(1, std::memory_order_relaxed); // we hold the token until it is queued
    table.insert(p);
    if (opts.link && spawner) {
        std::lock_guard g1(spawner->lock);
        spawner->links.add(pid);
    }
    if (opts.link && spawner) {
        std::lock_guard g2(p->lock);
        p->links.add(Pid(static_cast<ProcessAnchor*>(spawner)));
    }
    if (sink()) [[unlikely]] {
        emit(RuntimeEventType::Spawn, p->id, p->parent, *p->initialCall, nullptr);
        if (opts.link && spawner) emit(RuntimeEventType::Link, spawner->id, p->id, {}, nullptr);
        if (!opts.name.empty()) emit(RuntimeEventType::NameRegistered, p->id, 0, opts.name, nullptr);
    }
    p->needsStart = true;
    schedule(p); // with the scheduler's reference (counted above)
    return pid;
}

StartResult RuntimeCore::startServer(Process* caller, bool link, std::unique_ptr<GenServer> server,
                                     ServerOptions opts) {
    if (!server) return StartResult::failed(ExitReason::error("badarg"));
    GenServer* gs = server.get();
    SpawnOptions so;
    so.meta = opts.meta;
    so.parent = opts.parent;
    Process* p = create(std::move(server), so, caller);
    Pid pid(p);
    if (!opts.name.empty()) {
        if (!names.add(opts.name, pid)) {
            Pid owner = names.find(opts.name);
            table.forget(p->id);
            p->release();
            StartResult r = StartResult::failed(ExitReason::error("{already_started," + owner.toString() + "}"));
            r.pid = owner;
            return r;
        }
        p->ext().name = opts.name;
    }
    p->sched.store(1, std::memory_order_relaxed);
    table.insert(p);
    Pid callerPid = caller ? Pid(static_cast<ProcessAnchor*>(caller)) : Pid();
    if (link && caller) {
        {
            std::lock_guard g(caller->lock);
            caller->links.add(pid);
        }
        std::lock_guard g(p->lock);
        p->links.add(callerPid);
    }
    gs->setParent(opts.parent.valid() ? opts.parent : callerPid);
    if (sink()) [[unlikely]] {
        emit(RuntimeEventType::Spawn, p->id, p->parent, *p->initialCall, nullptr);
        if (link && caller) emit(RuntimeEventType::Link, caller->id, p->id, {}, nullptr);
        if (!opts.name.empty()) emit(RuntimeEventType::NameRegistered, p->id, 0, opts.name, nullptr);
    }
    p->status.store(ProcessStatus::Running, std::memory_order_relaxed);
    Context ctx(facade, *p);
    InitScope scope;
    const bool outermost = tlsInitScope == nullptr;
    if (outermost) tlsInitScope = &scope;
    InitResult r = gs->runInit(ctx);
    if (outermost) tlsInitScope = nullptr;
    StartResult result;
    bool alive = true;
    switch (r.kind()) {
    case InitResult::Kind::Ok:
        result = StartResult::ok(pid);
        if (p->exitRequested) {
            die(p, p->finalReason());
            alive = false;
        }
        break;
    case InitResult::Kind::Ignore:
        result = StartResult::ignore();
        die(p, ExitReason::normal());
        alive = false;
        break;
    case InitResult::Kind::Stop:
        result = StartResult::failed(r.reason());
        die(p, r.reason());
        alive = false;
        break;
    }
    if (alive) {
        p->status.store(ProcessStatus::Waiting, std::memory_order_relaxed);
        p->needsStart = true; // GenServer::onStart runs a pending continue / arms nothing else
    }
    p->retain();
    schedule(p);
    if (outermost)
        for (Process* q : scope.held) scheduler->enqueue(q);
    return result;
}

namespace {
/// TimerRef values of wheel timers carry the worker's index + 1 in their top byte.
constexpr unsigned WheelShift = 56;
constexpr std::uint64_t WheelIdMask = (std::uint64_t(1) << WheelShift) - 1;
} // namespace

TimerRef RuntimeCore::addTimer(std::int64_t deadlineNs, Pid to, MessageNode* msg) {
    unsigned index = 0;
    if (TimerWheel* w = manualMode ? nullptr : scheduler->localWheel(&index)) {
        const std::uint64_t id = w->add(nowNs(), deadlineNs, std::move(to), msg);
        return TimerRef{(std::uint64_t(index + 1) << WheelShift) | id};
    }
    return timers.add(deadlineNs, std::move(to), msg);
}

bool RuntimeCore::cancelTimer(TimerRef ref) {
    if (const std::uint64_t w = ref.value >> WheelShift) {
        TimerWheel* wheel = scheduler->wheel(unsigned(w - 1));
        return wheel && wheel->cancel(ref.value & WheelIdMask);
    }
    return timers.cancel(ref);
}

std::optional<std::int64_t> RuntimeCore::nextTimerNs() const {
    std::optional<std::int64_t> next = timers.nextDeadline();
    const std::int64_t wheels = scheduler->nextWheelEventNs();
    if (wheels != TimerWheel::Never && (!next || wheels < *next)) next = wheels;
    return next;
}

void RuntimeCore::schedule(Process* p) {
    if (tlsInitScope)
        tlsInitScope->held.push_back(p);
    else
        scheduler->enqueue(p);
}

void RuntimeCore::settleStarted() {
    InitScope* scope = tlsInitScope;
    if (!scope) return;
    for (int round = 0; round < 10000; ++round) {
        bool progress = false;
        for (std::size_t i = 0; i < scope->held.size(); ++i) {
            Process* q = scope->held[i];
            if (q->dead.load(std::memory_order_relaxed)) {
                if (q->mailbox.maybeNonEmpty()) {
                    drainDead(q);
                    progress = true;
                }
                continue;
            }
            bool ready = q->needsStart || q->mailbox.maybeNonEmpty() ||
                         (q->extras && !q->extras->waiting() && !q->extras->stash.empty());
            if (!ready) continue;
            while (runMessages(q, budget)) {
            }
            progress = true;
        }
        if (!progress) return;
    }
}

// ---------------------------------------------------------------- delivery

void RuntimeCore::bindWorkerThread(unsigned workerIndex) {
    tlsPushCore = this;
    tlsPushSlot = workerIndex < Mailbox::OwnedSlots ? workerIndex + 1 : 0;
}

namespace {
/// Pushes n to p's mailbox and, when p was idle, takes its scheduling token and makes it runnable
/// (urgently, or in the background: see Scheduler::enqueueBackground).
inline void pushAndSchedule(RuntimeCore& core, Process* p, MessageNode* n, bool background) {
    // A worker of p's own runtime counts the push in its own slot of p's mailbox.
    p->mailbox.push(n, tlsPushCore == p->core ? tlsPushSlot : 0);
    if (p->sched.load(std::memory_order_seq_cst) != 0) return;
    if (p->sched.exchange(1, std::memory_order_acq_rel) == 0) {
        if (p->status.load(std::memory_order_relaxed) == ProcessStatus::External) [[unlikely]] {
            static_cast<ExternalProcess*>(p)->wake(); // a plain thread waits on it: never queued
            return;
        }
        p->retain();
        if (background) core.scheduler->enqueueBackground(p);
        else core.scheduler->enqueue(p);
    }
}
} // namespace

void RuntimeCore::deliver(Process* p, MessageNode* n, std::uint64_t from) {
    if (const std::uint32_t w = p->trace.load(std::memory_order_acquire); w & TraceFlags::ReceiveBit) [[unlikely]]
        if (n->signal == 0) traceReceive(*p, w, from, n);
    pushAndSchedule(*this, p, n, false);
}

void RuntimeCore::deliverBackground(Process* p, MessageNode* n) { pushAndSchedule(*this, p, n, true); }

void RuntimeCore::sendExit(const Pid& target, const Pid& from, ExitReason reason, bool viaLink) {
    if (!target.valid()) return;
    Process* p = target.process();
    bool untrappable = !viaLink && reason.kind() == ExitReason::Kind::Kill;
    auto* n = new TypedMessageNode<ExitMessage>(ExitMessage{from, std::move(reason)});
    n->signal = SignalExit;
    n->flags = viaLink ? SignalViaLink : 0;
    if (untrappable) p->killFlag.store(true, std::memory_order_release);
    deliver(p, n);
}

void RuntimeCore::sendPeerSignal(const Pid& target, SignalKind kind, const Pid& from) {
    if (!target.valid()) return;
    auto* n = new TypedMessageNode<PeerSignal>(PeerSignal{from});
    n->signal = kind;
    deliver(target.process(), n);
}

void RuntimeCore::sendDown(const Pid& watcher, MonitorRef ref, const Pid& who, std::string name,
                           ExitReason reason) {
    if (!watcher.valid()) return;
    auto* n = new TypedMessageNode<DownMessage>(DownMessage{ref, who, std::move(name), std::move(reason)});
    n->signal = SignalDown;
    deliver(watcher.process(), n);
}

// ---------------------------------------------------------------- the turn

void RuntimeCore::runTurn(Process* p) {
    if (p->dead.load(std::memory_order_acquire)) {
        drainDead(p);
        finishTurn(p, false);
        return;
    }
    finishTurn(p, runMessages(p, budget));
}

bool RuntimeCore::runMessages(Process* p, unsigned budget) {
    p->status.store(ProcessStatus::Running, std::memory_order_relaxed);
    Context ctx(facade, *p);
    if (p->needsStart) {
        p->needsStart = false;
        try {
            p->actor->onStart(ctx);
        } catch (const std::exception& e) {
            p->requestExit(ExitReason::error(e.what()));
        } catch (...) {
            p->requestExit(ExitReason::error("unknown exception"));
        }
        if (p->exitRequested) {
            die(p, p->finalReason());
            return false;
        }
    }
    unsigned n = 0;
    bool more = false;
    while (!p->dead.load(std::memory_order_relaxed)) {
        if (n >= budget) {
            more = true;
            break;
        }
        if (p->killFlag.load(std::memory_order_relaxed)) [[unlikely]] {
            die(p, ExitReason::killed());
            break;
        }
        ProcessExtras* ex = p->extras.get();
        if (ex) {
            if (ex->waiting()) {
                if (ex->receive && handleReceiveStash(p, ctx)) {
                    ++n;
                    if (p->exitRequested) die(p, p->finalReason());
                    continue;
                }
            } else if (!ex->stash.empty()) {
                Message m(ex->stash.takeFront());
                p->mailbox.addSetAside(-1);
                ++n;
                invoke(p, ctx, m);
                if (p->exitRequested) die(p, p->finalReason());
                continue;
            }
        }
        Mailbox::PopState st;
        MessageNode* node = p->mailbox.pop(st);
        if (!node) {
            if (st == Mailbox::PopState::Busy) more = true;
            break;
        }
        ++n;
        Message m = node->signal == SignalUser ? Message(node) : processSignal(p, node);
        if (!m) continue;
        ex = p->extras.get();
        if (ex && ex->waiting())
            offerToWait(p, ctx, *ex, std::move(m));
        else
            invoke(p, ctx, m);
        if (p->exitRequested) die(p, p->finalReason());
    }
    return more;
}

void RuntimeCore::invoke(Process* p, Context& ctx, Message& m) {
    if (m.is<ReceiveTimeout>() || m.is<CallReply>()) return; // stale timeout / late reply: dropped
    try {
        p->actor->onMessage(ctx, m);
    } catch (const std::exception& e) {
        p->requestExit(ExitReason::error(e.what()));
    } catch (...) {
        if (!p->exitRequested) {
            p->requestExit(ExitReason::error("unknown exception"));
        }
    }
}

bool RuntimeCore::handleReceiveStash(Process* p, Context& ctx) {
    ProcessExtras& ex = *p->extras.get();
    while (ex.scanned < ex.stash.size()) {
        std::size_t i = ex.scanned;
        Message view(ex.stash[i]);
        bool matched = false;
        try {
            matched = ex.receive->match(view);
        } catch (...) {
        }
        if (matched) {
            ex.stash.take(i);
            p->mailbox.addSetAside(-1);
            completeReceive(p, ctx, std::move(view));
            return true;
        }
        view.release();
        ++ex.scanned;
    }
    return false;
}

void RuntimeCore::offerToWait(Process* p, Context& ctx, ProcessExtras& ex, Message m) {
    if (m.is<ReceiveTimeout>()) {
        if (ex.call.tag) completeCall(p, ctx, ex, Message());
        else completeReceive(p, ctx, Message());
        return;
    }
    if (ex.call.tag) {
        if (const CallReply* r = m.tryAs<CallReply>()) {
            if (r->tag == ex.call.tag) completeCall(p, ctx, ex, std::move(m));
            return; // a late reply to an earlier call: dropped
        }
        if (const DownMessage* d = m.tryAs<DownMessage>(); d && d->ref.value == ex.call.tag) {
            completeCall(p, ctx, ex, std::move(m));
            return;
        }
    } else {
        bool matched = false;
        try {
            matched = ex.receive->match(m);
        } catch (...) {
        }
        if (matched) {
            completeReceive(p, ctx, std::move(m));
            return;
        }
    }
    ex.stash.push_back(m.release());
    p->mailbox.addSetAside(1);
    ex.scanned = ex.stash.size();
}

void RuntimeCore::completeReceive(Process* p, Context& ctx, Message m) {
    ProcessExtras& ex = *p->extras.get();
    PendingReceive r = std::move(*ex.receive);
    ex.receive.reset();
    ex.scanned = 0;
    endWait(ex);
    try {
        r.then(ctx, std::move(m));
    } catch (const std::exception& e) {
        p->requestExit(ExitReason::error(e.what()));
    } catch (...) {
        if (!p->exitRequested) {
            p->requestExit(ExitReason::error("unknown exception"));
        }
    }
}

void RuntimeCore::completeCall(Process* p, Context& ctx, ProcessExtras& ex, Message m) {
    PendingCall c = std::move(ex.call);
    ex.call = PendingCall{};
    endWait(ex);
    CallOutcome o;
    if (!m) {
        removeWatcher(c.server, MonitorRef{c.tag}); // a DOWN already queued for it is dropped: not ours
        o.error = CallOutcome::Error::Timeout;
        o.exitReason = ExitReason::error("{timeout," + callArgs(c.server, c.timeoutMs) + "}");
    } else if (m.is<CallReply>()) {
        removeWatcher(c.server, MonitorRef{c.tag});
        o.reply = std::move(m.as<CallReply>().reply);
    } else {
        const DownMessage& d = m.as<DownMessage>();
        if (d.reason.kind() == ExitReason::Kind::Noproc) {
            o.error = CallOutcome::Error::Noproc;
        } else {
            o.error = CallOutcome::Error::ServerExited;
            o.serverReason = d.reason;
        }
        o.exitReason = ExitReason::error("{" + d.reason.toString() + "," + callArgs(c.server, c.timeoutMs) + "}");
    }
    try {
        if (c.onOutcome) c.onOutcome(ctx, std::move(o));
        else if (o.ok()) c.onReply(ctx, std::move(o.reply));
        else p->requestExit(std::move(o.exitReason));
    } catch (const std::exception& e) {
        p->requestExit(ExitReason::error(e.what()));
    } catch (...) {
        if (!p->exitRequested) p->requestExit(ExitReason::error("unknown exception"));
    }
}

CallOutcome RuntimeCore::callFromOutside(const Pid& server, Message request, std::int64_t timeoutMs) {
    CallOutcome o;
    const MonitorRef tag = newRef();
    Pid ext = acquireExternal();
    if (!server.valid() || !addWatcher(*server.process(), tag, ext)) {
        releaseExternal(std::move(ext));
        o.error = CallOutcome::Error::Noproc;
        o.exitReason = ExitReason::error("{noproc," + callArgs(server, timeoutMs) + "}");
        return o;
    }
    send(server, Message::of(CallRequest{From{ext, tag.value}, std::move(request)}));
    std::optional<ExitReason> down;
    const bool done = waitExternal(*ext.process(), timeoutMs, [&](MessageNode* n) {
        if (n->signal == SignalUser && n->type == typeTag<CallReply>()) {
            Message m(n);
            if (m.as<CallReply>().tag != tag.value) return false; // a late reply to an earlier call
            o.reply = std::move(m.as<CallReply>().reply);
            return true;
        }
        if (n->signal == SignalDown) {
            Message m(n);
            if (m.as<DownMessage>().ref != tag) return false;
            down = std::move(m.as<DownMessage>().reason);
            return true;
        }
        delete n;
        return false;
    });
    if (!done || !down) removeWatcher(server, tag);
    releaseExternal(std::move(ext));
    if (!done) {
        o.error = CallOutcome::Error::Timeout;
        o.exitReason = ExitReason::error("{timeout," + callArgs(server, timeoutMs) + "}");
    } else if (down) {
        if (down->kind() == ExitReason::Kind::Noproc) {
            o.error = CallOutcome::Error::Noproc;
        } else {
            o.error = CallOutcome::Error::ServerExited;
            o.serverReason = *down;
        }
        o.exitReason = ExitReason::error("{" + down->toString() + "," + callArgs(server, timeoutMs) + "}");
    }
    return o;
}

bool RuntimeCore::awaitExitFromOutside(const Pid& pid, std::int64_t timeoutMs, ExitReason* reason) {
    if (!pid.valid()) {
        if (reason) *reason = ExitReason::noproc();
        return true;
    }
    const MonitorRef tag = newRef();
    Pid ext = acquireExternal();
    if (!addWatcher(*pid.process(), tag, ext)) { // already gone: its real reason
        releaseExternal(std::move(ext));
        // die() marks a process dead before it reports the exit to the event sink: wait until it has
        // finished dying, so a caller that stops its probe right after this returns (a program whose
        // root supervisor was killed) has the exit reported, as with the DOWN path. Bounded: a few
        // instructions of die() are all that can be left.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (pid.process()->status.load(std::memory_order_acquire) != ProcessStatus::Dead &&
               std::chrono::steady_clock::now() < until)
            std::this_thread::yield();
        if (reason) *reason = pid.process()->finalReason();
        return true;
    }
    std::optional<ExitReason> down;
    const bool done = waitExternal(*ext.process(), timeoutMs, [&](MessageNode* n) {
        Message m(n);
        if (n->signal != SignalDown || m.as<DownMessage>().ref != tag) return false;
        down = std::move(m.as<DownMessage>().reason);
        return true;
    });
    if (!done) removeWatcher(pid, tag);
    releaseExternal(std::move(ext));
    if (done && reason) *reason = *down;
    return done;
}

Pid RuntimeCore::acquireExternal() {
    {
        std::lock_guard g(m_externalMutex);
        if (!m_idleExternals.empty()) {
            Pid e = std::move(m_idleExternals.back());
            m_idleExternals.pop_back();
            return e;
        }
    }
    const std::uint64_t id = m_nextPid.fetch_add(1, std::memory_order_relaxed);
    table.forget(id); // never in the table
    return Pid(new ExternalProcess(*this, id), true);
}

void RuntimeCore::releaseExternal(Pid e) {
    std::lock_guard g(m_externalMutex);
    m_idleExternals.push_back(std::move(e));
}

bool RuntimeCore::waitExternal(Process& e, std::int64_t timeoutMs, const std::function<bool(MessageNode*)>& take) {
    auto& ext = static_cast<ExternalProcess&>(e);
    // Takes what has arrived; true once take accepted a node.
    auto drain = [&] {
        Mailbox::PopState st;
        for (;;) {
            MessageNode* n = ext.mailbox.pop(st);
            if (!n) {
                if (st == Mailbox::PopState::Busy) {
                    std::this_thread::yield();
                    continue;
                }
                return false;
            }
            if (take(n)) return true;
        }
    };
    if (manualMode) {
        const std::int64_t deadline = timeoutMs < 0 ? ProcessExtras::NoDeadline : nowNs() + timeoutMs * 1'000'000;
        for (;;) {
            facade.runUntilIdle();
            if (drain()) return true;
            auto next = timers.nextDeadline();
            if (!next || *next > deadline) break;
            facade.advanceClock(std::max<std::int64_t>(0, (*next - nowNs() + 999'999) / 1'000'000));
        }
        if (deadline != ProcessExtras::NoDeadline && nowNs() < deadline)
            facade.advanceClock((deadline - nowNs() + 999'999) / 1'000'000);
        return drain();
    }
    const auto deadline = timeoutMs < 0 ? std::chrono::steady_clock::time_point::max()
                                        : std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (drain()) return true;
        // A reply from a busy server comes within microseconds: look a little before sleeping.
        bool arrived = false;
        for (int i = 0; i < 256 && !arrived; ++i) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            arrived = ext.mailbox.pushedSinceEmpty();
        }
        if (arrived) continue;
        // Sleep: give the token back, so the next delivery wakes this thread.
        ext.prepareToSleep();
        ext.sched.store(0, std::memory_order_seq_cst);
        if (ext.mailbox.pushedSinceEmpty() && ext.sched.exchange(1, std::memory_order_acq_rel) == 0) continue;
        if (!ext.sleepUntil(deadline)) return drain();
    }
}

std::string RuntimeCore::callArgs(const Pid& server, std::int64_t timeoutMs) {
    return "{gen_server,call,[" + server.toString() + "," +
           (timeoutMs < 0 ? std::string("infinity") : std::to_string(timeoutMs)) + "]}";
}

void RuntimeCore::beginCall(Process& self, const Pid& server, Message request, std::int64_t timeoutMs,
                            std::function<void(Context&, Message)> onReply,
                            std::function<void(Context&, CallOutcome)> onOutcome) {
    if (server.valid() && server.id() == self.id) {
        CallOutcome o;
        o.error = CallOutcome::Error::CallingSelf;
        o.exitReason = ExitReason::error("{calling_self," + callArgs(server, timeoutMs) + "}");
        Context ctx(facade, self);
        if (onOutcome) onOutcome(ctx, std::move(o));
        else self.requestExit(std::move(o.exitReason));
        return;
    }
    ProcessExtras& ex = self.ext();
    const MonitorRef tag = newRef();
    Pid me(static_cast<ProcessAnchor*>(&self));
    // The call's monitor (OTP's gen:do_call monitors the server) lives only in the server's table:
    // the caller recognises its DOWN by the pending call's tag.
    if (server.valid() && addWatcher(*server.process(), tag, me))
        sendFrom(self, server, Message::of(CallRequest{From{std::move(me), tag.value}, std::move(request)}));
    else
        sendDown(me, tag, server, {}, ExitReason::noproc());
    ex.call.tag = tag.value;
    ex.call.server = server;
    ex.call.timeoutMs = timeoutMs;
    ex.call.onReply = std::move(onReply);
    ex.call.onOutcome = std::move(onOutcome);
    ex.scanned = ex.stash.size(); // a fresh tag cannot be among the set-aside messages
    startWait(self, ex, timeoutMs);
}

void RuntimeCore::beginReceive(Process& self, std::function<bool(const Message&)> match, std::int64_t timeoutMs,
                               std::function<void(Context&, Message)> then) {
    ProcessExtras& ex = self.ext();
    ex.receive = PendingReceive{std::move(match), std::move(then)};
    ex.scanned = 0;
    startWait(self, ex, timeoutMs);
}

void RuntimeCore::startWait(Process& p, ProcessExtras& ex, std::int64_t timeoutMs) {
    if (timeoutMs < 0) {
        ex.waitDeadlineNs = ProcessExtras::NoDeadline;
        return;
    }
    const std::int64_t deadline = nowNs() + timeoutMs * 1'000'000;
    ex.waitDeadlineNs = deadline;
    // Threaded: a tick armed for an earlier deadline re-arms itself when it arrives, so a process
    // making call after call arms one timer per timeout period, not one per call. Manual mode
    // keeps one exact timer per wait (deterministic tests see timeouts fire in deadline order).
    if (manualMode ? ex.armedTickNs != deadline : deadline < ex.armedTickNs) armTick(p, ex, deadline);
}

void RuntimeCore::endWait(ProcessExtras& ex) {
    ex.waitDeadlineNs = ProcessExtras::NoDeadline;
    if (manualMode && ex.tickTimer) {
        timers.cancel(ex.tickTimer);
        ex.tickTimer = {};
        ex.armedTickNs = ProcessExtras::NoDeadline;
    }
}

void RuntimeCore::armTick(Process& p, ProcessExtras& ex, std::int64_t deadlineNs) {
    if (ex.tickTimer) cancelTimer(ex.tickTimer);
    auto* n = new TypedMessageNode<WaitTick>(WaitTick{deadlineNs});
    n->signal = SignalWaitTick;
    ex.tickTimer = addTimer(deadlineNs, Pid(static_cast<ProcessAnchor*>(&p)), n);
    ex.armedTickNs = deadlineNs;
}

Message RuntimeCore::onWaitTick(Process* p, MessageNode* n) {
    const std::int64_t deadline = static_cast<TypedMessageNode<WaitTick>*>(n)->value.deadlineNs;
    delete n;
    ProcessExtras* ex = p->extras.get();
    if (!ex || deadline != ex->armedTickNs) return {}; // superseded by a tick armed since
    ex->armedTickNs = ProcessExtras::NoDeadline;
    ex->tickTimer = {};
    if (!ex->waiting() || ex->waitDeadlineNs == ProcessExtras::NoDeadline) return {};
    if (ex->waitDeadlineNs <= nowNs()) return Message::of(ReceiveTimeout{});
    armTick(*p, *ex, ex->waitDeadlineNs);
    return {};
}

bool RuntimeCore::addWatcher(Process& target, MonitorRef ref, const Pid& watcher) {
    std::lock_guard g(target.lock);
    if (target.dead.load(std::memory_order_relaxed)) return false;
    target.ext().monitoredBy.add(MonitorEntry{ref, watcher});
    return true;
}

void RuntimeCore::removeWatcher(const Pid& target, MonitorRef ref) {
    if (!target.valid()) return;
    Process& t = *target.process();
    std::lock_guard g(t.lock);
    if (ProcessExtras* ex = t.extras.get()) ex->monitoredBy.remove(ref.value);
}

void RuntimeCore::finishTurn(Process* p, bool more) {
    bool dead = p->dead.load(std::memory_order_relaxed);
    // Set-aside messages ready to handle: keep the token and go again (decided before the token is
    // released: after that another worker may own the process's consumer-side state).
    if (!dead && p->extras && !p->extras->waiting() && !p->extras->stash.empty()) more = true;
    if (more) {
        if (!dead) p->status.store(ProcessStatus::Runnable, std::memory_order_relaxed);
        scheduler->yield(p); // keeps the token and the reference; goes behind the others
        return;
    }
    if (!dead) p->status.store(ProcessStatus::Waiting, std::memory_order_relaxed);
    p->sched.store(0, std::memory_order_seq_cst);
    // The turn ended on an empty mailbox; only a producer can have changed it since (atomic tail).
    if (p->mailbox.pushedSinceEmpty() && p->sched.exchange(1, std::memory_order_acq_rel) == 0) {
        scheduler->enqueue(p);
        return;
    }
    p->release();
}

// ---------------------------------------------------------------- signals

Message RuntimeCore::processSignal(Process* p, MessageNode* n) {
    switch (n->signal) {
    case SignalExit: {
        auto* en = static_cast<TypedMessageNode<ExitMessage>*>(n);
        ExitMessage& em = en->value;
        bool viaLink = (n->flags & SignalViaLink) != 0;
        if (viaLink) {
            bool had = false;
            {
                std::lock_guard g(p->lock);
                had = p->links.remove(em.from.id());
            }
            if (!had) {
                delete n;
                return {};
            }
        }
        if (!viaLink && em.reason.kind() == ExitReason::Kind::Kill) {
            delete n;
            die(p, ExitReason::killed());
            return {};
        }
        if (p->trapExit.load(std::memory_order_relaxed)) {
            n->signal = SignalUser;
            n->flags = 0;
            return Message(n);
        }
        if (em.reason.isNormal()) {
            bool self = !viaLink && em.from.id() == p->id;
            delete n;
            if (self) die(p, ExitReason::normal());
            return {};
        }
        ExitReason r = std::move(em.reason);
        delete n;
        die(p, std::move(r));
        return {};
    }
    case SignalLink: {
        auto* sn = static_cast<TypedMessageNode<PeerSignal>*>(n);
        {
            std::lock_guard g(p->lock);
            p->links.add(sn->value.from);
        }
        delete n;
        return {};
    }
    case SignalUnlink: {
        auto* sn = static_cast<TypedMessageNode<PeerSignal>*>(n);
        {
            std::lock_guard g(p->lock);
            p->links.remove(sn->value.from.id());
        }
        delete n;
        return {};
    }
    case SignalDown: {
        auto* dn = static_cast<TypedMessageNode<DownMessage>*>(n);
        bool mine = false;
        if (ProcessExtras* ex = p->extras.get()) {
            {
                std::lock_guard g(p->lock);
                mine = ex->monitors.remove(dn->value.ref.value);
            }
            if (!mine && ex->call.tag == dn->value.ref.value) mine = true;
        }
        if (!mine) {
            delete n;
            return {};
        }
        n->signal = SignalUser;
        return Message(n);
    }
    case SignalWaitTick:
        return onWaitTick(p, n);
    default:
        return Message(n);
    }
}

void RuntimeCore::drainDead(Process* p) {
    Mailbox::PopState st;
    Pid self(static_cast<ProcessAnchor*>(p));
    for (;;) {
        MessageNode* n = p->mailbox.pop(st);
        if (!n) {
            if (st == Mailbox::PopState::Busy) {
                std::this_thread::yield();
                continue;
            }
            break;
        }
        if (n->signal == SignalLink) {
            auto* sn = static_cast<TypedMessageNode<PeerSignal>*>(n);
            sendExit(sn->value.from, self, ExitReason::noproc(), true);
        }
        delete n;
    }
}

void RuntimeCore::die(Process* p, ExitReason reason) {
    if (p->dead.load(std::memory_order_relaxed)) return;
    p->status.store(ProcessStatus::Exiting, std::memory_order_relaxed);
    if (!reason.isNormal()) p->exitReason.set(reason);
    else p->exitReason.reset();
    SmallVector<Pid> links;
    SmallVector<MonitorEntry> watchers, mine;
    std::string name;
    {
        // Marked dead under the lock that watchers take to add a monitor: each either is in
        // `watchers` (gets the DOWN) or sees dead (gets noproc).
        std::lock_guard g(p->lock);
        links = p->links.takeAll();
        if (ProcessExtras* ex = p->extras.get()) {
            watchers = ex->monitoredBy.takeAll();
            mine = ex->monitors.takeAll();
            name.swap(ex->name);
        }
        p->dead.store(true, std::memory_order_seq_cst);
    }
    Pid self(static_cast<ProcessAnchor*>(p));
    if (!name.empty()) {
        names.remove(name, p->id);
        if (sink()) [[unlikely]]
            emit(RuntimeEventType::NameUnregistered, p->id, 0, name, nullptr);
    }
    bool inTable = table.remove(p->id);
    // Report the exit before anyone can react to it (a supervisor's report must follow it).
    if (sink()) [[unlikely]]
        emit(RuntimeEventType::Exit, p->id, p->parent, *p->initialCall, &reason);
    for (const Pid& l : links) sendExit(l, self, reason, true);
    for (const MonitorEntry& w : watchers) sendDown(w.pid, w.ref, self, {}, reason);
    for (const MonitorEntry& t : mine) removeWatcher(t.pid, t.ref);
    // Destroy what the process owned: its state, pending receive or call, stash.
    std::unique_ptr<Actor> actor = std::move(p->actor);
    std::unique_ptr<ProcessExtras> extras;
    {
        std::lock_guard g(p->lock);
        extras = p->extras.take();
    }
    if (extras && extras->call.tag) removeWatcher(extras->call.server, MonitorRef{extras->call.tag});
    if (extras && extras->tickTimer) cancelTimer(extras->tickTimer);
    if (extras) p->mailbox.addSetAside(-std::int64_t(extras->stash.size()));
    actor.reset();
    extras.reset();
    drainDead(p);
    p->status.store(ProcessStatus::Dead, std::memory_order_release); // awaitExit waits for this
    if (inTable) p->release(); // the table's reference
}

// ---------------------------------------------------------------- process-side operations

void RuntimeCore::dropFromStash(Process& self, const std::function<bool(const Message&)>& drop) {
    if (!self.extras) return;
    const std::size_t dropped = self.extras->stash.dropIf([&](MessageNode* n) {
        Message view(n);
        const bool gone = drop(view);
        view.release();
        return gone;
    });
    self.mailbox.addSetAside(-std::int64_t(dropped));
}

void RuntimeCore::link(Process& self, const Pid& other) {
    if (!other.valid() || other.id() == self.id) return;
    {
        std::lock_guard g(self.lock);
        if (self.links.contains(other.id())) return;
    }
    Pid me(static_cast<ProcessAnchor*>(&self));
    if (other.process()->dead.load(std::memory_order_acquire)) {
        if (self.trapExit.load(std::memory_order_relaxed)) {
            auto* n = new TypedMessageNode<ExitMessage>(ExitMessage{other, ExitReason::noproc()});
            deliver(&self, n);
        } else {
            self.requestExit(ExitReason::noproc());
        }
        return;
    }
    {
        std::lock_guard g(self.lock);
        self.links.add(other);
    }
    sendPeerSignal(other, SignalLink, me);
    if (sink()) [[unlikely]]
        emit(RuntimeEventType::Link, self.id, other.id(), {}, nullptr);
}

void RuntimeCore::unlink(Process& self, const Pid& other) {
    if (!other.valid()) return;
    bool had = false;
    {
        std::lock_guard g(self.lock);
        had = self.links.remove(other.id());
    }
    sendPeerSignal(other, SignalUnlink, Pid(static_cast<ProcessAnchor*>(&self)));
    // unlink_flush: drop an EXIT from it already converted into the stash
    dropFromStash(self, [&](const Message& m) { return m.is<ExitMessage>() && m.as<ExitMessage>().from == other; });
    if (had && sink()) [[unlikely]]
        emit(RuntimeEventType::Unlink, self.id, other.id(), {}, nullptr);
}

MonitorRef RuntimeCore::monitor(Process& self, const Pid& target, std::string name, bool report) {
    MonitorRef ref = newRef();
    Pid me(static_cast<ProcessAnchor*>(&self));
    ProcessExtras& ex = self.ext();
    {
        std::lock_guard g(self.lock);
        ex.monitors.add(MonitorEntry{ref, target});
    }
    // No monitor signal: the watcher puts its monitor into the target's table itself (under the
    // target's lock); a target that has already exited gives noproc at once, as OTP does.
    if (!target.valid() || !addWatcher(*target.process(), ref, me))
        sendDown(me, ref, target, name, ExitReason::noproc());
    if (report && target.valid() && sink()) [[unlikely]]
        emit(RuntimeEventType::Monitor, self.id, target.id(), name, nullptr);
    return ref;
}

bool RuntimeCore::demonitor(Process& self, MonitorRef ref, bool flush, bool report) {
    if (!self.extras) return false;
    MonitorEntry entry;
    bool found = false;
    {
        std::lock_guard g(self.lock);
        found = self.extras->monitors.remove(ref.value, &entry);
    }
    if (flush)
        dropFromStash(self, [&](const Message& m) { return m.is<DownMessage>() && m.as<DownMessage>().ref == ref; });
    if (!found) return false;
    removeWatcher(entry.pid, ref);
    if (report && sink()) [[unlikely]]
        emit(RuntimeEventType::Demonitor, self.id, entry.pid.id(), {}, nullptr);
    return true;
}

bool RuntimeCore::registerName(Process& self, std::string name) {
    if (name.empty()) return false;
    ProcessExtras& ex = self.ext();
    if (!ex.name.empty()) return false;
    if (!names.add(name, Pid(static_cast<ProcessAnchor*>(&self)))) return false;
    {
        std::lock_guard g(self.lock);
        ex.name = name;
    }
    if (sink()) [[unlikely]]
        emit(RuntimeEventType::NameRegistered, self.id, 0, name, nullptr);
    return true;
}

void RuntimeCore::unregisterName(Process& self) {
    if (!self.extras || self.extras->name.empty()) return;
    std::string name;
    {
        std::lock_guard g(self.lock);
        name.swap(self.extras->name);
    }
    names.remove(name, self.id);
    if (sink()) [[unlikely]]
        emit(RuntimeEventType::NameUnregistered, self.id, 0, name, nullptr);
}

// ---------------------------------------------------------------- tracing

bool RuntimeCore::setTrace(Process& target, TraceFlags flags, const Pid& tracer) {
    if (target.dead.load(std::memory_order_acquire)) return false;
    if (!flags.any()) {
        target.trace.store(0, std::memory_order_release);
        return true;
    }
    if (!tracer.valid()) return false;
    const std::uint32_t index = tracers.indexOf(tracer);
    if (index == 0) return false;
    target.trace.store(flags.bits() | (index << 8), std::memory_order_release);
    return true;
}

namespace {
void emitTrace(RuntimeCore& core, std::uint32_t word, TraceEvent ev) {
    // The word was read with acquire after setTrace published the slot, so the slot is set.
    Process* tracer = core.tracers.at(word >> 8);
    if (!tracer) return;
    if (word & TraceFlags::TimestampBit) ev.timeNs = core.nowNs();
    // A trace event is not a send of the traced process: it is neither traced nor counted as one,
    // and it does not make the tracer urgent (the tracer takes its events in batches).
    core.deliverBackground(tracer, new TypedMessageNode<TraceEvent>(ev));
}
} // namespace

void RuntimeCore::traceSend(const ProcessAnchor& self, std::uint32_t word, std::uint64_t to, const MessageNode* n) {
    if (!n) return;
    emitTrace(*this, word, TraceEvent{TraceEvent::Kind::Send, self.id, to, n->type, 0});
}

void RuntimeCore::traceReceive(const ProcessAnchor& target, std::uint32_t word, std::uint64_t from,
                               const MessageNode* n) {
    emitTrace(*this, word, TraceEvent{TraceEvent::Kind::Receive, target.id, from, n->type, 0});
}

// ---------------------------------------------------------------- observability

ProcessView RuntimeCore::viewOf(const Process& p, ViewScratch& scratch) const {
    ProcessView v;
    v.pid = p.id;
    v.parent = p.parent;
    if (p.initialCall) v.initialCall = *p.initialCall;
    v.status = p.status.load(std::memory_order_relaxed);
    v.mailboxLength = std::max<std::int64_t>(0, p.mailbox.length());
    v.messagesHandled = p.mailbox.popped();
    v.trapExit = p.trapExit.load(std::memory_order_relaxed);
    scratch.links.clear();
    scratch.monitors.clear();
    scratch.name.clear();
    {
        std::lock_guard g(p.lock);
        p.links.forEach([&](const Pid& l) { scratch.links.push_back(l.id()); });
        if (p.extras) {
            scratch.name = p.extras->name;
            p.extras->monitors.forEach([&](const MonitorEntry& e) { scratch.monitors.push_back(e.pid.id()); });
        }
        // The length counts set-aside (stashed) messages too: ~48 bytes each, wherever they wait.
        v.memoryBytes = sizeof(Process) + 64 + p.links.heapBytes() + (p.extras ? sizeof(ProcessExtras) : 0) +
                        std::uint64_t(v.mailboxLength) * 48;
    }
    v.registeredName = scratch.name;
    v.links = scratch.links;
    v.monitors = scratch.monitors;
    v.meta = p.meta.load(std::memory_order_acquire);
    if (v.meta) v.restartsInWindow = v.meta->restartsInWindow.load(std::memory_order_relaxed);
    return v;
}

ProcessInfo RuntimeCore::infoOf(const Process& p) const {
    ViewScratch scratch;
    const ProcessView v = viewOf(p, scratch);
    ProcessInfo i;
    i.pid = v.pid;
    i.parent = v.parent;
    i.initialCall = std::string(v.initialCall);
    i.status = v.status;
    i.mailboxLength = v.mailboxLength;
    i.messagesHandled = v.messagesHandled;
    i.trapExit = v.trapExit;
    i.links = std::move(scratch.links);
    i.monitors = std::move(scratch.monitors);
    i.registeredName = std::move(scratch.name);
    i.memoryBytes = v.memoryBytes;
    if (const ChildMeta* m = v.meta) {
        i.hasMeta = true;
        i.childId = m->childId;
        i.kind = m->kind;
        i.restart = m->restart;
        i.shutdown = m->shutdown;
        i.significant = m->significant;
        i.strategy = m->strategy;
        i.maxRestarts = m->maxRestarts;
        i.maxSeconds = m->maxSeconds;
        i.restartsInWindow = v.restartsInWindow;
    }
    return i;
}

void RuntimeCore::emit(RuntimeEventType type, std::uint64_t pid, std::uint64_t peer, std::string_view text,
                       const ExitReason* reason) const {
    if (!sink()) return;
    RuntimeEvent e;
    e.type = type;
    e.timeNs = m_clock->nowNs();
    e.pid = pid;
    e.peer = peer;
    e.text = text;
    e.reason = reason;
    toSink(e);
}

void RuntimeCore::toSink(const RuntimeEvent& e) const {
    // Announce the call before reading the sink (both seq_cst): setSink either sees the count or
    // this thread sees the new sink.
    m_sinkCalls.fetch_add(1, std::memory_order_seq_cst);
    if (EventSink* s = m_sink.load(std::memory_order_seq_cst)) s->onEvent(e);
    m_sinkCalls.fetch_sub(1, std::memory_order_release);
}

void RuntimeCore::setSink(EventSink* s) {
    m_sink.store(s, std::memory_order_seq_cst);
    // A call that read the previous sink may still be running: wait for it. (Calls are short: a
    // sink copies the event and returns; new calls read the new sink.)
    for (unsigned i = 0; m_sinkCalls.load(std::memory_order_seq_cst) != 0; ++i)
        if (i > 64) std::this_thread::yield();
}

} // namespace canopy
