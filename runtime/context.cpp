#include "runtime/context.h"
#include "runtime/call_reply.h"
#include "runtime/cast_request.h"
#include "runtime/gen_server.h"
#include "runtime/process.h"
#include "runtime/runtime.h"
#include "runtime/runtime_core.h"

namespace canopy {

Pid Context::self() const { return Pid(static_cast<ProcessAnchor*>(m_self)); }

std::int64_t Context::nowMs() const { return m_rt->core().nowNs() / 1'000'000; }

void Context::send(const Pid& to, Message msg) { m_rt->core().sendFrom(*m_self, to, std::move(msg)); }

bool Context::sendNamed(std::string_view name, Message msg) {
    Pid to = m_rt->whereis(name);
    if (!to.valid()) return false;
    send(to, std::move(msg));
    return true;
}

bool Context::trace(const Pid& target, TraceFlags flags, const Pid& tracer) {
    return m_rt->trace(target, flags, tracer);
}

Pid Context::spawn(std::unique_ptr<Actor> actor, SpawnOptions opts) {
    return m_rt->core().spawn(std::move(actor), std::move(opts), m_self);
}

void Context::link(const Pid& other) { m_rt->core().link(*m_self, other); }

void Context::unlink(const Pid& other) { m_rt->core().unlink(*m_self, other); }

MonitorRef Context::monitor(const Pid& target) { return m_rt->core().monitor(*m_self, target); }

MonitorRef Context::monitor(std::string_view name) {
    Pid target = m_rt->whereis(name);
    return m_rt->core().monitor(*m_self, target, std::string(name));
}

bool Context::demonitor(MonitorRef ref, bool flush) { return m_rt->core().demonitor(*m_self, ref, flush); }

void Context::trapExit(bool on) { m_self->trapExit.store(on, std::memory_order_relaxed); }

bool Context::trappingExits() const { return m_self->trapExit.load(std::memory_order_relaxed); }

void Context::exit(ExitReason reason) { m_self->requestExit(std::move(reason)); }

void Context::exit(const Pid& target, ExitReason reason) {
    m_rt->core().sendExit(target, self(), std::move(reason), false);
}

TimerRef Context::sendAfter(std::int64_t ms, const Pid& to, Message msg) { return m_rt->sendAfter(ms, to, std::move(msg)); }

bool Context::cancelTimer(TimerRef ref) { return m_rt->cancelTimer(ref); }

bool Context::registerName(std::string name) { return m_rt->core().registerName(*m_self, std::move(name)); }

void Context::unregisterName() { m_rt->core().unregisterName(*m_self); }

Pid Context::whereis(std::string_view name) const { return m_rt->whereis(name); }

void Context::receive(std::function<bool(const Message&)> match, std::int64_t timeoutMs,
                      std::function<void(Context&, Message)> then) {
    m_rt->core().beginReceive(*m_self, std::move(match), timeoutMs, std::move(then));
}

void Context::tryCall(const Pid& server, Message request, std::int64_t timeoutMs,
                      std::function<void(Context&, CallOutcome)> then) {
    m_rt->core().beginCall(*m_self, server, std::move(request), timeoutMs, {}, std::move(then));
}

void Context::call(const Pid& server, Message request, std::int64_t timeoutMs,
                   std::function<void(Context&, Message)> then) {
    m_rt->core().beginCall(*m_self, server, std::move(request), timeoutMs, std::move(then), {});
}

void Context::cast(const Pid& server, Message request) { send(server, Message::of(CastRequest{std::move(request)})); }

void Context::reply(const From& from, Message response) {
    send(from.caller, Message::of(CallReply{from.tag, std::move(response)}));
}

StartResult Context::startLink(std::unique_ptr<GenServer> server, ServerOptions opts) {
    return m_rt->core().startServer(m_self, true, std::move(server), std::move(opts));
}

StartResult Context::start(std::unique_ptr<GenServer> server, ServerOptions opts) {
    return m_rt->core().startServer(m_self, false, std::move(server), std::move(opts));
}

void Context::setMeta(std::shared_ptr<const ChildMeta> meta) {
    if (!meta) return;
    // Keep the previous block alive with the process: an observer may be reading it right now.
    if (!m_self->metas) m_self->metas = std::make_unique<std::vector<std::shared_ptr<const ChildMeta>>>();
    m_self->metas->push_back(meta);
    m_self->meta.store(meta.get(), std::memory_order_release);
}

void Context::settleStarted() { m_rt->core().settleStarted(); }

const ChildMeta* Context::meta() const { return m_self->meta.load(std::memory_order_acquire); }

} // namespace canopy
