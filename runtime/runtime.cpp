#include "runtime/runtime.h"
#include "runtime/call_waiter.h"
#include "runtime/cast_request.h"
#include "runtime/context.h"
#include "runtime/down_message.h"
#include "runtime/fn_actor.h"
#include "runtime/gen_server.h"
#include "runtime/manual_clock.h"
#include "runtime/process.h"
#include "runtime/runtime_core.h"
#include <chrono>
#include <thread>

namespace canopy {

namespace {

/// Makes one call on behalf of a plain thread and hands the outcome over.
class CallProxy final : public Actor {
public:
    CallProxy(Pid server, Message req, std::int64_t timeoutMs, std::shared_ptr<CallWaiter<CallOutcome>> w)
        : m_server(std::move(server)), m_req(std::move(req)), m_timeout(timeoutMs), m_waiter(std::move(w)) {}
    void onStart(Context& ctx) override {
        ctx.tryCall(m_server, std::move(m_req), m_timeout, [w = m_waiter](Context& c, CallOutcome o) {
            w->set(std::move(o));
            c.exit(ExitReason::normal());
        });
    }
    void onMessage(Context&, Message&) override {}
    std::string initialCall() const override { return "canopy:call_proxy"; }

private:
    Pid m_server;
    Message m_req;
    std::int64_t m_timeout;
    std::shared_ptr<CallWaiter<CallOutcome>> m_waiter;
};

/// Waits for one process's DOWN on behalf of a plain thread.
class ExitWatcher final : public Actor {
public:
    ExitWatcher(Pid target, std::int64_t timeoutMs, std::shared_ptr<CallWaiter<std::optional<ExitReason>>> w)
        : m_target(std::move(target)), m_timeout(timeoutMs), m_waiter(std::move(w)) {}
    void onStart(Context& ctx) override {
        MonitorRef ref = ctx.monitor(m_target);
        ctx.receive([ref](const Message& m) { return m.is<DownMessage>() && m.as<DownMessage>().ref == ref; },
                    m_timeout, [w = m_waiter, ref](Context& c, Message m) {
                        if (m) {
                            w->set(m.as<DownMessage>().reason);
                        } else {
                            c.demonitor(ref, true);
                            w->set(std::nullopt);
                        }
                        c.exit(ExitReason::normal());
                    });
    }
    void onMessage(Context&, Message&) override {}
    std::string initialCall() const override { return "canopy:exit_watcher"; }

private:
    Pid m_target;
    std::int64_t m_timeout;
    std::shared_ptr<CallWaiter<std::optional<ExitReason>>> m_waiter;
};

} // namespace

Runtime::Runtime(RuntimeOptions options) : m_core(std::make_unique<RuntimeCore>(*this, std::move(options))) {}

Runtime::~Runtime() { m_core->shutdown(); }

Pid Runtime::spawn(std::unique_ptr<Actor> actor, SpawnOptions opts) {
    return m_core->spawn(std::move(actor), std::move(opts), nullptr);
}

Pid Runtime::spawnFn(std::function<void(Context&, Message&)> fn, SpawnOptions opts) {
    return spawn(std::make_unique<FnActor>(std::move(fn)), std::move(opts));
}

StartResult Runtime::startServer(std::unique_ptr<GenServer> server, ServerOptions opts) {
    return m_core->startServer(nullptr, false, std::move(server), std::move(opts));
}

void Runtime::send(const Pid& to, Message msg) { m_core->send(to, std::move(msg)); }

bool Runtime::sendNamed(std::string_view name, Message msg) {
    Pid p = m_core->names.find(name);
    if (!p.valid()) return false;
    m_core->send(p, std::move(msg));
    return true;
}

void Runtime::exit(const Pid& target, ExitReason reason) { m_core->sendExit(target, Pid(), std::move(reason), false); }

/// Steps a manual runtime until `done()` or no timer is due before deadlineNs.
static void stepManual(Runtime& rt, std::int64_t deadlineNs, const std::function<bool()>& done) {
    for (;;) {
        rt.runUntilIdle();
        if (done()) return;
        auto next = rt.nextTimerNs();
        if (!next || *next > deadlineNs) return;
        std::int64_t now = rt.clock().nowNs();
        rt.advanceClock(std::max<std::int64_t>(0, (*next - now + 999'999) / 1'000'000));
    }
}

CallOutcome Runtime::call(const Pid& server, Message request, std::int64_t timeoutMs) {
    auto w = std::make_shared<CallWaiter<CallOutcome>>();
    spawn(std::make_unique<CallProxy>(server, std::move(request), timeoutMs, w));
    if (m_core->manualMode) {
        std::int64_t deadline = clock().nowNs() + (timeoutMs < 0 ? INT64_MAX / 4 : timeoutMs * 1'000'000);
        stepManual(*this, deadline, [&] { return w->ready(); });
    } else {
        w->waitFor(timeoutMs < 0 ? INT32_MAX : timeoutMs + 5000);
    }
    if (w->ready()) return w->take();
    CallOutcome o;
    o.error = CallOutcome::Error::Timeout;
    o.exitReason = ExitReason::error("{timeout,{gen_server,call,[" + server.toString() + "]}}");
    return o;
}

void Runtime::cast(const Pid& server, Message request) {
    send(server, Message::of(CastRequest{std::move(request)}));
}

TimerRef Runtime::sendAfter(std::int64_t ms, const Pid& to, Message msg) {
    return m_core->timers.add(m_core->nowNs() + std::max<std::int64_t>(0, ms) * 1'000'000, to, msg.release());
}

bool Runtime::cancelTimer(TimerRef ref) { return m_core->timers.cancel(ref); }

Pid Runtime::whereis(std::string_view name) const { return m_core->names.find(name); }

bool Runtime::registerName(std::string name, const Pid& pid) {
    if (!pid.valid() || pid.process()->dead.load()) return false;
    Process* p = pid.process();
    {
        std::lock_guard g(p->lock);
        if (p->extras && !p->extras->name.empty()) return false;
    }
    if (!m_core->names.add(name, pid)) return false;
    p->ext();
    {
        std::lock_guard g(p->lock);
        p->extras->name = name;
    }
    m_core->emit(RuntimeEventType::NameRegistered, p->id, 0, name, nullptr);
    return true;
}

bool Runtime::alive(const Pid& pid) const { return pid.valid() && !pid.process()->dead.load(std::memory_order_acquire); }

Pid Runtime::findPid(std::uint64_t id) const { return m_core->table.find(id); }

std::optional<ProcessInfo> Runtime::info(const Pid& pid) const {
    if (!alive(pid)) return std::nullopt;
    return m_core->infoOf(*pid.process());
}

bool Runtime::trace(const Pid& target, TraceFlags flags, const Pid& tracer) {
    return target.valid() && m_core->setTrace(*target.process(), flags, tracer);
}

void Runtime::forEachProcess(const std::function<void(const ProcessInfo&)>& fn) const {
    m_core->table.forEach([&](const Pid& pid) {
        if (!pid.process()->dead.load(std::memory_order_acquire)) fn(m_core->infoOf(*pid.process()));
    });
}

void Runtime::forEachProcessView(const std::function<void(const ProcessView&)>& fn) const {
    RuntimeCore::ViewScratch scratch;
    // A walk is bound by cache misses: prefetch the control blocks a few processes ahead, and the
    // supervision metadata (a separate allocation) once its pointer is in cache.
    constexpr std::size_t kAhead = 8, kMetaAhead = 4;
    m_core->table.forEachBatch([&](std::span<const Pid> batch) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (i + kAhead < batch.size()) {
                const char* ahead = reinterpret_cast<const char*>(batch[i + kAhead].process());
                for (int line = 0; line < 4; ++line) __builtin_prefetch(ahead + 64 * line);
            }
            if (i + kMetaAhead < batch.size())
                if (const ChildMeta* m = batch[i + kMetaAhead].process()->meta.load(std::memory_order_relaxed))
                    for (int line = 0; line < 3; ++line) __builtin_prefetch(reinterpret_cast<const char*>(m) + 64 * line);
            const Process& p = *batch[i].process();
            if (!p.dead.load(std::memory_order_acquire)) fn(m_core->viewOf(p, scratch));
        }
    });
}

bool Runtime::viewProcess(const Pid& pid, const std::function<void(const ProcessView&)>& fn) const {
    if (!alive(pid)) return false;
    RuntimeCore::ViewScratch scratch;
    fn(m_core->viewOf(*pid.process(), scratch));
    return true;
}

void Runtime::forEachProcessCounters(const std::function<void(const ProcessCounters&)>& fn) const {
    m_core->table.forEachCounters(fn);
}

std::size_t Runtime::processCount() const { return m_core->table.size(); }

bool Runtime::awaitExit(const Pid& pid, std::int64_t timeoutMs, ExitReason* reason) {
    auto w = std::make_shared<CallWaiter<std::optional<ExitReason>>>();
    spawn(std::make_unique<ExitWatcher>(pid, timeoutMs, w));
    if (m_core->manualMode) {
        std::int64_t deadline = clock().nowNs() + (timeoutMs < 0 ? INT64_MAX / 4 : timeoutMs * 1'000'000);
        stepManual(*this, deadline, [&] { return w->ready(); });
    } else {
        w->waitFor(timeoutMs < 0 ? INT32_MAX : timeoutMs + 5000);
    }
    if (!w->ready()) return false;
    std::optional<ExitReason> r = w->take();
    if (!r) return false;
    // Monitoring a process that is already gone yields noproc; report its real reason instead.
    if (r->kind() == ExitReason::Kind::Noproc && pid.valid() && pid.process()->dead.load(std::memory_order_acquire))
        r = pid.process()->finalReason();
    if (reason) *reason = *r;
    return true;
}

bool Runtime::waitIdle(std::int64_t timeoutMs) {
    if (m_core->manualMode) {
        runUntilIdle();
        return true;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    int quiet = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        auto next = m_core->timers.nextDeadline();
        bool timerDue = next && *next <= m_core->nowNs();
        if (m_core->scheduler->activeCount() == 0 && !timerDue) {
            if (++quiet >= 3) return true; // stable across a few polls
        } else {
            quiet = 0;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return false;
}

void Runtime::setEventSink(EventSink* sink) { m_core->setSink(sink); }

void Runtime::emit(const RuntimeEvent& event) const {
    if (!m_core->sink()) return;
    if (event.timeNs != 0) {
        m_core->toSink(event);
        return;
    }
    RuntimeEvent e = event;
    e.timeNs = m_core->nowNs();
    m_core->toSink(e);
}

bool Runtime::hasEventSink() const { return m_core->sink() != nullptr; }

const Clock& Runtime::clock() const { return *m_core->m_clock; }

unsigned Runtime::workerCount() const { return m_core->scheduler->workerCount(); }

std::size_t Runtime::runUntilIdle() { return m_core->scheduler->runUntilIdle(); }

void Runtime::advanceClock(std::int64_t ms) {
    ManualClock* mc = m_core->m_manualClock;
    if (!mc) return;
    std::int64_t target = mc->nowNs() + ms * 1'000'000;
    runUntilIdle();
    for (;;) {
        auto next = m_core->timers.nextDeadline();
        if (!next || *next > target) break;
        if (*next > mc->nowNs()) mc->setNs(*next);
        m_core->timers.fireOne(mc->nowNs());
        runUntilIdle();
    }
    if (mc->nowNs() < target) mc->setNs(target);
    runUntilIdle();
}

std::optional<std::int64_t> Runtime::nextTimerNs() const { return m_core->timers.nextDeadline(); }

ManualClock* Runtime::manualClock() const { return m_core->m_manualClock; }

} // namespace canopy
