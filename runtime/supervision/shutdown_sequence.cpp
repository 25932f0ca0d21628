#include "runtime/supervision/shutdown_sequence.h"
#include "runtime/down_message.h"
#include "runtime/exit_message.h"

namespace canopy::supervision {

ShutdownSequence::ShutdownSequence(std::vector<ShutdownTarget> targets, OnResult onResult, Done done)
    : m_targets(std::move(targets)), m_onResult(std::move(onResult)), m_done(std::move(done)) {}

void ShutdownSequence::run(Context& ctx, std::vector<ShutdownTarget> targets, OnResult onResult, Done done) {
    auto seq = std::make_shared<ShutdownSequence>(std::move(targets), std::move(onResult), std::move(done));
    seq->pump(ctx);
}

bool ShutdownSequence::isClean(const Shutdown& shutdown, Restart restart, const ExitReason& reason) {
    using K = ExitReason::Kind;
    const bool permanent = restart == Restart::Permanent;
    if (shutdown.kind() == Shutdown::Kind::BrutalKill)
        return reason.kind() == K::Killed || (!permanent && (reason.kind() == K::Shutdown || reason.kind() == K::Normal));
    return reason.kind() == K::Shutdown || (!permanent && (reason.kind() == K::ShutdownWith || reason.kind() == K::Normal));
}

void ShutdownSequence::pump(Context& ctx) {
    if (m_inPump)
        return;
    auto self = shared_from_this(); // keeps the sequence alive while it runs synchronously
    m_inPump = true;
    while (!m_waiting && m_index < m_targets.size()) {
        m_waiting = true;
        startOne(ctx);
    }
    m_inPump = false;
    if (!m_waiting && m_index >= m_targets.size() && !m_finished) {
        m_finished = true;
        if (m_done)
            m_done(ctx);
    }
}

void ShutdownSequence::startOne(Context& ctx) {
    const ShutdownTarget& t = m_targets[m_index];
    MonitorRef ref = ctx.monitor(t.pid);
    switch (t.shutdown.kind()) {
    case Shutdown::Kind::BrutalKill:
        ctx.exit(t.pid, ExitReason::kill());
        awaitDown(ctx, ref, -1, false);
        break;
    case Shutdown::Kind::Infinity:
        ctx.exit(t.pid, ExitReason::shutdown());
        awaitDown(ctx, ref, -1, false);
        break;
    case Shutdown::Kind::Timeout:
        if (t.shutdown.ms() == 0) {
            // OTP's `after 0` expires before the child can have reacted: killed at once (its
            // shutdown_error reports `killed`). The kill goes alone: a `shutdown` sent first could be
            // acted on by a child on another worker before the kill lands, and then no report, unlike
            // OTP. A child killed at once never runs again, so the shutdown signal was unobservable.
            ctx.exit(t.pid, ExitReason::kill());
            awaitDown(ctx, ref, -1, false);
        } else {
            ctx.exit(t.pid, ExitReason::shutdown());
            awaitDown(ctx, ref, t.shutdown.ms(), true);
        }
        break;
    }
}

void ShutdownSequence::awaitDown(Context& ctx, MonitorRef ref, std::int64_t timeoutMs, bool killOnTimeout) {
    auto self = shared_from_this();
    ctx.receive(
        [ref](const Message& m) {
            const DownMessage* d = m.tryAs<DownMessage>();
            return d && d->ref == ref;
        },
        timeoutMs,
        [self, ref, killOnTimeout](Context& c, Message m) {
            if (!m) { // timed out: kill, then wait for good
                if (killOnTimeout) {
                    c.exit(self->m_targets[self->m_index].pid, ExitReason::kill());
                    self->awaitDown(c, ref, -1, false);
                }
                return;
            }
            self->onDown(c, m.as<DownMessage>().reason);
        });
}

void ShutdownSequence::onDown(Context& ctx, ExitReason reason) {
    const Pid pid = m_targets[m_index].pid;
    if (reason.kind() == ExitReason::Kind::Noproc) {
        // Already dead before we monitored it: its 'EXIT' (queued or on its way) carries the real
        // reason (OTP's unlink_flush takes it).
        auto self = shared_from_this();
        ctx.receive(
            [pid](const Message& m) {
                const ExitMessage* e = m.tryAs<ExitMessage>();
                return e && e->from == pid;
            },
            1000,
            [self](Context& c, Message m) {
                ExitReason r = m ? m.as<ExitMessage>().reason : ExitReason::noproc();
                self->finishOne(c, r);
            });
        return;
    }
    ctx.unlink(pid); // drops the queued 'EXIT' from it
    finishOne(ctx, reason);
}

void ShutdownSequence::finishOne(Context& ctx, const ExitReason& reason) {
    const ShutdownTarget& t = m_targets[m_index];
    if (m_onResult)
        m_onResult(ctx, m_index, reason, isClean(t.shutdown, t.restart, reason));
    ++m_index;
    m_waiting = false;
    pump(ctx);
}

} // namespace canopy::supervision
