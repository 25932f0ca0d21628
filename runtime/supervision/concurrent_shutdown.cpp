#include "runtime/supervision/concurrent_shutdown.h"
#include "runtime/down_message.h"
#include "runtime/exit_message.h"
#include "runtime/runtime.h"
#include <atomic>

namespace canopy::supervision {

namespace {
/// `{timeout, Timer, kill}`: the shutdown timer for one timeout value fired.
struct ShutdownTimerFired {
    std::uint64_t token;
    std::int64_t ms;
};
std::atomic<std::uint64_t> g_tokens{1};
} // namespace

ConcurrentShutdown::ConcurrentShutdown(std::vector<ShutdownTarget> targets, OnError onError, Done done)
    : m_targets(std::move(targets)), m_onError(std::move(onError)), m_done(std::move(done)),
      m_token(g_tokens.fetch_add(1, std::memory_order_relaxed)) {}

void ConcurrentShutdown::run(Context& ctx, std::vector<ShutdownTarget> targets, OnError onError, Done done) {
    auto s = std::make_shared<ConcurrentShutdown>(std::move(targets), std::move(onError), std::move(done));
    s->begin(ctx);
}

void ConcurrentShutdown::begin(Context& ctx) {
    auto self = shared_from_this();
    for (std::size_t i = 0; i < m_targets.size(); ++i) {
        const ShutdownTarget& t = m_targets[i];
        if (!ctx.runtime().alive(t.pid)) {
            // monitor_child/1: an 'EXIT' is queued (or on its way); its reason decides.
            m_deadByPid.emplace(t.pid.id(), i);
            ++m_pending;
            continue;
        }
        // Elixir unlinks here; Canopy unlinks when the DOWN arrives (an untrappable kill may
        // overtake the monitor, and then only the 'EXIT' carries the reason — see onDown).
        MonitorRef ref = ctx.monitor(t.pid);
        m_byRef.emplace(ref.value, i);
        ++m_pending;
        switch (t.shutdown.kind()) {
        case Shutdown::Kind::BrutalKill: ctx.exit(t.pid, ExitReason::kill()); break;
        case Shutdown::Kind::Infinity: ctx.exit(t.pid, ExitReason::shutdown()); break;
        case Shutdown::Kind::Timeout:
            ctx.exit(t.pid, ExitReason::shutdown());
            m_byTimeout[t.shutdown.ms()].push_back(i);
            break;
        }
    }
    for (auto& [ms, idx] : m_byTimeout)
        m_timers.push_back(ctx.sendAfter(ms, ctx.self(), Message::of(ShutdownTimerFired{m_token, ms})));
    pump(ctx);
}

void ConcurrentShutdown::pump(Context& ctx) {
    if (m_inPump)
        return;
    auto self = shared_from_this();
    m_inPump = true;
    while (!m_waiting && m_pending > 0) {
        m_waiting = true;
        ctx.receive(
            [self](const Message& m) {
                if (const DownMessage* d = m.tryAs<DownMessage>())
                    return self->m_byRef.count(d->ref.value) > 0;
                if (const ExitMessage* e = m.tryAs<ExitMessage>())
                    return self->m_deadByPid.count(e->from.id()) > 0;
                if (const ShutdownTimerFired* t = m.tryAs<ShutdownTimerFired>())
                    return t->token == self->m_token;
                return false;
            },
            -1,
            [self](Context& c, Message m) {
                if (const DownMessage* d = m.tryAs<DownMessage>()) {
                    auto it = self->m_byRef.find(d->ref.value);
                    std::size_t i = it->second;
                    self->m_byRef.erase(it);
                    const Pid& pid = self->m_targets[i].pid;
                    if (d->reason.kind() == ExitReason::Kind::Noproc) {
                        // Dead before the monitor took hold: its 'EXIT' has the real reason.
                        self->m_deadByPid.emplace(pid.id(), i);
                        self->m_deadUnsignalled[pid.id()] = false;
                    } else {
                        c.unlink(pid); // drops the queued 'EXIT'
                        --self->m_pending;
                        self->onDown(i, d->reason);
                    }
                } else if (const ExitMessage* e = m.tryAs<ExitMessage>()) {
                    auto it = self->m_deadByPid.find(e->from.id());
                    std::size_t i = it->second;
                    self->m_deadByPid.erase(it);
                    --self->m_pending;
                    const ShutdownTarget& t = self->m_targets[i];
                    auto sig = self->m_deadUnsignalled.find(e->from.id());
                    const bool diedBeforeSignal = sig == self->m_deadUnsignalled.end() || sig->second;
                    if (diedBeforeSignal) {
                        // monitor_child/1: already dead when the shutdown began.
                        if (!(e->reason.isNormal() && t.restart != Restart::Permanent))
                            self->recordError(i, e->reason);
                    } else {
                        self->onDown(i, e->reason);
                    }
                } else if (const ShutdownTimerFired* t = m.tryAs<ShutdownTimerFired>()) {
                    for (std::size_t i : self->m_byTimeout[t->ms])
                        c.exit(self->m_targets[i].pid, ExitReason::kill());
                }
                self->m_waiting = false;
                self->pump(c);
            });
    }
    m_inPump = false;
    if (!m_waiting && m_pending == 0 && !m_finished) {
        m_finished = true;
        finish(ctx);
    }
}

void ConcurrentShutdown::onDown(std::size_t index, const ExitReason& reason) {
    using K = ExitReason::Kind;
    const ShutdownTarget& t = m_targets[index];
    bool clean;
    if (t.shutdown.kind() == Shutdown::Kind::BrutalKill)
        clean = reason.kind() == K::Killed;
    else
        clean = reason.kind() == K::Shutdown || reason.kind() == K::ShutdownWith ||
                (reason.isNormal() && t.restart != Restart::Permanent);
    if (!clean)
        recordError(index, reason);
}

void ConcurrentShutdown::recordError(std::size_t index, const ExitReason& reason) {
    for (auto& [r, v] : m_errors) {
        if (r == reason) {
            v.push_back(index);
            return;
        }
    }
    m_errors.push_back({reason, {index}});
}

void ConcurrentShutdown::finish(Context& ctx) {
    for (TimerRef t : m_timers)
        ctx.cancelTimer(t);
    if (m_onError)
        for (auto& [r, v] : m_errors)
            m_onError(ctx, r, v);
    if (m_done)
        m_done(ctx);
}

} // namespace canopy::supervision
