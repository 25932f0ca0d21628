#pragma once
#include "runtime/exit_reason.h"
#include "runtime/message.h"
#include <cstdint>

namespace canopy {

/// What a GenServer handler returns: `{reply,R,S}`, `{noreply,S}`, `{stop,Reason,S}`,
/// `{stop,Reason,Reply,S}`, optionally with a timeout, hibernate or `{continue,C}`.
class ServerResult {
public:
    enum class Kind : std::uint8_t { Reply, NoReply, Stop };
    /// `{reply,Reply,State}` (handleCall only).
    static ServerResult reply(Message r) {
        ServerResult x(Kind::Reply);
        x.m_reply = std::move(r);
        return x;
    }
    template <class T> static ServerResult replyWith(T&& v) { return reply(Message::of(std::forward<T>(v))); }
    /// `{noreply,State}`.
    static ServerResult noreply() { return ServerResult(Kind::NoReply); }
    /// `{stop,Reason,State}`: terminate(Reason) runs, then the process exits Reason.
    static ServerResult stop(ExitReason r) {
        ServerResult x(Kind::Stop);
        x.m_reason = std::move(r);
        return x;
    }
    /// `{stop,Reason,Reply,State}`: terminate runs first, then the reply is sent, then the exit.
    static ServerResult stop(ExitReason r, Message reply) {
        ServerResult x(Kind::Stop);
        x.m_reason = std::move(r);
        x.m_reply = std::move(reply);
        return x;
    }
    /// Adds a timeout: handleInfo(ServerTimeout) unless a message arrives within ms.
    ServerResult&& withTimeout(std::int64_t ms) && {
        m_timeoutMs = ms;
        return std::move(*this);
    }
    /// Adds `{continue,C}`: handleContinue(C) runs before the next message.
    ServerResult&& thenContinue(Message c) && {
        m_continue = std::move(c);
        return std::move(*this);
    }
    /// Adds `hibernate` (a hint; Canopy processes are already compact when idle).
    ServerResult&& hibernate() && { return std::move(*this); }

    Kind kind() const { return m_kind; }
    Message& replyMessage() { return m_reply; }
    const ExitReason& reason() const { return m_reason; }
    std::int64_t timeoutMs() const { return m_timeoutMs; }
    Message& continuation() { return m_continue; }

private:
    explicit ServerResult(Kind k) : m_kind(k) {}
    Kind m_kind;
    Message m_reply;
    ExitReason m_reason;
    std::int64_t m_timeoutMs = -1;
    Message m_continue;
};

/// The message handleInfo receives when a server timeout fires (`timeout` in OTP).
struct ServerTimeout {};

} // namespace canopy
