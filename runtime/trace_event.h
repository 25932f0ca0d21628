#pragma once
#include <cstdint>

namespace canopy {

/// The message a tracer receives for each traced send or receive (erlang:trace's
/// `{trace, Pid, send, Msg, To}` / `{trace, Pid, 'receive', Msg}`). The message itself stays with
/// its receiver; the event names its type: compare `messageType` with `typeTag<T>()`.
struct TraceEvent {
    enum class Kind : std::uint8_t { Send, Receive };
    Kind kind = Kind::Send;
    /// The traced process.
    std::uint64_t pid = 0;
    /// Send: the receiver. Receive: the sender when it was a process, else 0.
    std::uint64_t peer = 0;
    /// typeTag<T>() of the traced message.
    const void* messageType = nullptr;
    /// Runtime clock (ns) when traced with `timestamp`, else 0.
    std::int64_t timeNs = 0;
};

} // namespace canopy
