#include "runtime/context.h"
#include "runtime/call_reply.h"
#include "runtime/call_request.h"
#include "runtime/cast_request.h"
#include "runtime/down_message.h"
#include "runtime/gen_server.h"
#include "runtime/process.h"
#include "runtime/receive_timeout.h"
#include "runtime/runtime.h"
#include "runtime/runtime_core.h"

namespace canopy {

namespace {
std::string callArgs(const Pid& server, std::int64_t timeoutMs) {
    return "{gen_server,call,[" + server.toString() + "," +
           (timeoutMs < 0 ? std::string("infinity") : std::to_string(timeoutMs)) + "]}";
}
} // namespace

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
    ProcessExtras& ex = m_self->ext();
    PendingReceive r;
    r.match = std::move(match);
    r.then = std::move(then);
    r.id = m_rt->core().newRef().value;
    if (timeoutMs >= 0) r.timer = sendAfter(timeoutMs, self(), Message::of(ReceiveTimeout{r.id}));
    if (ex.receive && ex.receive->timer) m_rt->cancelTimer(ex.receive->timer);
    ex.receive = std::move(r);
    ex.scanned = 0;
}

void Context::tryCall(const Pid& server, Message request, std::int64_t timeoutMs,
                      std::function<void(Context&, CallOutcome)> then) {
    if (server.valid() && server.id() == m_self->id) {
        CallOutcome o;
        o.error = CallOutcome::Error::CallingSelf;
        o.exitReason = ExitReason::error("{calling_self," + callArgs(server, timeoutMs) + "}");
        then(*this, std::move(o));
        return;
    }
    // The call's own monitor is an implementation detail: no Monitor/Demonitor events for it.
    MonitorRef ref = m_rt->core().monitor(*m_self, server, {}, false);
    if (server.valid()) send(server, Message::of(CallRequest{From{self(), ref.value}, std::move(request)}));
    receive(
        [ref](const Message& m) {
            if (auto* r = m.tryAs<CallReply>()) return r->tag == ref.value;
            if (auto* d = m.tryAs<DownMessage>()) return d->ref == ref;
            return false;
        },
        timeoutMs,
        [ref, server, timeoutMs, then = std::move(then)](Context& ctx, Message m) {
            CallOutcome o;
            if (!m) {
                ctx.runtime().core().demonitor(ctx.process(), ref, true, false);
                o.error = CallOutcome::Error::Timeout;
                o.exitReason = ExitReason::error("{timeout," + callArgs(server, timeoutMs) + "}");
            } else if (m.is<CallReply>()) {
                ctx.runtime().core().demonitor(ctx.process(), ref, true, false);
                o.reply = std::move(m.as<CallReply>().reply);
            } else {
                const DownMessage& d = m.as<DownMessage>();
                if (d.reason.kind() == ExitReason::Kind::Noproc) {
                    o.error = CallOutcome::Error::Noproc;
                } else {
                    o.error = CallOutcome::Error::ServerExited;
                    o.serverReason = d.reason;
                }
                o.exitReason = ExitReason::error("{" + d.reason.toString() + "," + callArgs(server, timeoutMs) + "}");
            }
            then(ctx, std::move(o));
        });
}

void Context::call(const Pid& server, Message request, std::int64_t timeoutMs,
                   std::function<void(Context&, Message)> then) {
    tryCall(server, std::move(request), timeoutMs, [then = std::move(then)](Context& ctx, CallOutcome o) {
        if (!o.ok()) {
            ctx.exit(o.exitReason);
            return;
        }
        then(ctx, std::move(o.reply));
    });
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
