#include "runtime/gen_server.h"
#include "runtime/call_request.h"
#include "runtime/cast_request.h"
#include "runtime/exit_message.h"
#include "runtime/server_timeout_tick.h"
#include <exception>

namespace canopy {

ServerResult GenServer::handleCall(Context& ctx, Message& request, const From& from) {
    return ServerResult::stop(ExitReason::error("{bad_call,unhandled}"));
}

ServerResult GenServer::handleCast(Context& ctx, Message& request) {
    return ServerResult::stop(ExitReason::error("{bad_cast,unhandled}"));
}

InitResult GenServer::runInit(Context& ctx) {
    try {
        InitResult r = init(ctx);
        if (r.kind() == InitResult::Kind::Ok) {
            if (r.continuation()) m_pendingContinue = std::move(r.continuation());
            else if (r.timeoutMs() >= 0) armTimeout(ctx, r.timeoutMs());
        }
        return r;
    } catch (const std::exception& e) {
        return InitResult::stop(ExitReason::error(e.what()));
    } catch (...) {
        return InitResult::stop(ExitReason::error("unknown exception"));
    }
}

void GenServer::onStart(Context& ctx) {
    if (!m_pendingContinue) return;
    Message c = std::move(m_pendingContinue);
    guarded(ctx, [&] { apply(ctx, handleContinue(ctx, c), nullptr); });
}

void GenServer::onMessage(Context& ctx, Message& msg) {
    if (auto* tick = msg.tryAs<ServerTimeoutTick>()) {
        if (tick->gen != m_timeoutGen) return; // a message arrived in time: stale
        m_timeoutTimer = {};
        ++m_timeoutGen;
        Message t = Message::of(ServerTimeout{});
        guarded(ctx, [&] { apply(ctx, handleInfo(ctx, t), nullptr); });
        return;
    }
    if (m_timeoutTimer) {
        ctx.cancelTimer(m_timeoutTimer);
        m_timeoutTimer = {};
    }
    ++m_timeoutGen;
    guarded(ctx, [&] {
        if (auto* call = msg.tryAs<CallRequest>()) {
            From from = call->from;
            apply(ctx, handleCall(ctx, call->request, from), &from);
        } else if (auto* cast = msg.tryAs<CastRequest>()) {
            apply(ctx, handleCast(ctx, cast->request), nullptr);
        } else if (auto* ex = msg.tryAs<ExitMessage>(); ex && m_parent.valid() && ex->from == m_parent) {
            stopWith(ctx, ex->reason);
        } else {
            apply(ctx, handleInfo(ctx, msg), nullptr);
        }
    });
}

template <class F> void GenServer::guarded(Context& ctx, F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        stopWith(ctx, ExitReason::error(e.what()));
    } catch (...) {
        stopWith(ctx, ExitReason::error("unknown exception"));
    }
}

void GenServer::apply(Context& ctx, ServerResult&& first, const From* from) {
    ServerResult r = std::move(first);
    for (;;) {
        switch (r.kind()) {
        case ServerResult::Kind::Reply:
            if (from) ctx.reply(*from, std::move(r.replyMessage()));
            break;
        case ServerResult::Kind::NoReply:
            break;
        case ServerResult::Kind::Stop: {
            ExitReason reason = r.reason();
            try {
                terminate(ctx, reason);
            } catch (const std::exception& e) {
                reason = ExitReason::error(e.what());
            } catch (...) {
                reason = ExitReason::error("unknown exception");
            }
            if (from && r.replyMessage()) ctx.reply(*from, std::move(r.replyMessage()));
            ctx.exit(reason);
            return;
        }
        }
        if (r.continuation()) {
            Message c = std::move(r.continuation());
            r = handleContinue(ctx, c);
            from = nullptr;
            continue;
        }
        if (r.timeoutMs() >= 0) armTimeout(ctx, r.timeoutMs());
        return;
    }
}

void GenServer::armTimeout(Context& ctx, std::int64_t ms) {
    if (m_timeoutTimer) ctx.cancelTimer(m_timeoutTimer);
    ++m_timeoutGen;
    m_timeoutTimer = ctx.sendAfter(ms, ctx.self(), Message::of(ServerTimeoutTick{m_timeoutGen}));
}

void GenServer::stopWith(Context& ctx, const ExitReason& reason) {
    ExitReason r = reason;
    try {
        terminate(ctx, r);
    } catch (const std::exception& e) {
        r = ExitReason::error(e.what());
    } catch (...) {
    }
    ctx.exit(r);
}

} // namespace canopy
