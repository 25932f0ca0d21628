#include "runtime/runtime.h"
#include "runtime/cast_request.h"
#include "runtime/context.h"
#include "runtime/fn_actor.h"
#include "runtime/gen_server.h"
#include "runtime/manual_clock.h"
#include "runtime/process.h"
#include "runtime/runtime_core.h"
#include <chrono>
#include <thread>

namespace canopy {

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

CallOutcome Runtime::call(const Pid& server, Message request, std::int64_t timeoutMs) {
    return m_core->callFromOutside(server, std::move(request), timeoutMs);
}

void Runtime::cast(const Pid& server, Message request) {
    send(server, Message::of(CastRequest{std::move(request)}));
}

TimerRef Runtime::sendAfter(std::int64_t ms, const Pid& to, Message msg) {
    return m_core->addTimer(m_core->nowNs() + std::max<std::int64_t>(0, ms) * 1'000'000, to, msg.release());
}

bool Runtime::cancelTimer(TimerRef ref) { return m_core->cancelTimer(ref); }

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
    return m_core->awaitExitFromOutside(pid, timeoutMs, reason);
}

bool Runtime::waitIdle(std::int64_t timeoutMs) {
    if (m_core->manualMode) {
        runUntilIdle();
        return true;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    int quiet = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        auto next = m_core->nextTimerNs();
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
