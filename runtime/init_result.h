#pragma once
#include "runtime/exit_reason.h"
#include "runtime/message.h"
#include <cstdint>

namespace canopy {

/// What GenServer::init returns: `{ok,S}`, `{ok,S,Timeout}`, `{ok,S,{continue,C}}`, `ignore`, `{stop,R}`.
class InitResult {
public:
    enum class Kind : std::uint8_t { Ok, Ignore, Stop };
    /// `{ok,State}`.
    static InitResult ok() { return InitResult(Kind::Ok); }
    /// `{ok,State,Timeout}`: handleInfo(timeout) unless a message arrives within timeoutMs.
    static InitResult ok(std::int64_t timeoutMs) {
        InitResult r(Kind::Ok);
        r.m_timeoutMs = timeoutMs;
        return r;
    }
    /// `{ok,State,{continue,C}}`: handleContinue(C) runs before any queued message.
    static InitResult continueWith(Message c) {
        InitResult r(Kind::Ok);
        r.m_continue = std::move(c);
        return r;
    }
    /// `ignore`: start returns ignore, the process exits normal.
    static InitResult ignore() { return InitResult(Kind::Ignore); }
    /// `{stop,Reason}`: start returns {error,Reason}, the process exits Reason.
    static InitResult stop(ExitReason r) {
        InitResult x(Kind::Stop);
        x.m_reason = std::move(r);
        return x;
    }

    Kind kind() const { return m_kind; }
    std::int64_t timeoutMs() const { return m_timeoutMs; }
    Message& continuation() { return m_continue; }
    const ExitReason& reason() const { return m_reason; }

private:
    explicit InitResult(Kind k) : m_kind(k) {}
    Kind m_kind;
    std::int64_t m_timeoutMs = -1;
    Message m_continue;
    ExitReason m_reason;
};

} // namespace canopy
