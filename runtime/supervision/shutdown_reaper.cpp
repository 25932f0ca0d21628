#include "runtime/supervision/shutdown_reaper.h"
#include "runtime/context.h"
#include "runtime/down_message.h"
#include "runtime/runtime.h"
#include "runtime/supervision/shutdown_sequence.h"

namespace canopy::supervision {

namespace {
/// The timeout of target i expired.
struct ReapTimeout {
    std::size_t index;
};
} // namespace

void ShutdownReaper::onStart(Context& ctx) {
    m_done.assign(m_targets.size(), false);
    m_left = m_targets.size();
    for (std::size_t i = 0; i < m_targets.size(); ++i) {
        m_refs.push_back(ctx.monitor(m_targets[i].pid));
        if (m_targets[i].shutdown.kind() == Shutdown::Kind::Timeout)
            m_timers.push_back(ctx.sendAfter(m_targets[i].shutdown.ms(), ctx.self(), Message::of(ReapTimeout{i})));
    }
    finishIfDone(ctx);
}

void ShutdownReaper::onMessage(Context& ctx, Message& msg) {
    if (auto* t = msg.tryAs<ReapTimeout>()) {
        if (!m_done[t->index])
            ctx.exit(m_targets[t->index].pid, ExitReason::kill());
        return;
    }
    auto* d = msg.tryAs<DownMessage>();
    if (!d)
        return;
    for (std::size_t i = 0; i < m_refs.size(); ++i) {
        if (m_refs[i] != d->ref || m_done[i])
            continue;
        m_done[i] = true;
        --m_left;
        const ShutdownTarget& t = m_targets[i];
        // noproc: it stopped before we looked (the supervisor asked it to): nothing to report.
        if (d->reason.kind() != ExitReason::Kind::Noproc && !ShutdownSequence::isClean(t.shutdown, t.restart, d->reason) &&
            ctx.runtime().hasEventSink()) {
            RuntimeEvent ev;
            ev.type = RuntimeEventType::ShutdownError;
            ev.pid = t.pid.id();
            ev.peer = m_supervisor;
            ev.text = t.id;
            ev.reason = &d->reason;
            ev.strategy = m_strategy;
            ctx.runtime().emit(ev);
        }
    }
    finishIfDone(ctx);
}

void ShutdownReaper::finishIfDone(Context& ctx) {
    if (m_left != 0)
        return;
    for (TimerRef t : m_timers)
        ctx.cancelTimer(t);
    ctx.exit(ExitReason::normal());
}

} // namespace canopy::supervision
