#pragma once
#include <cstdint>

namespace canopy {

/// What erlang:trace/3 turns on for a process (the subset Canopy offers). All false = tracing off.
struct TraceFlags {
    /// `send`: every message the process sends becomes a TraceEvent::Send for the tracer.
    bool send = false;
    /// `'receive'`: every message delivered to the process becomes a TraceEvent::Receive.
    bool receive = false;
    /// `timestamp`: events carry the runtime clock's time (one clock read per event; off by default).
    bool timestamp = false;

    bool any() const { return send || receive; }
    /// The flags packed into the low byte of a process's trace word (runtime internal).
    std::uint32_t bits() const {
        return (send ? SendBit : 0u) | (receive ? ReceiveBit : 0u) | (timestamp ? TimestampBit : 0u);
    }
    static constexpr std::uint32_t SendBit = 1;
    static constexpr std::uint32_t ReceiveBit = 2;
    static constexpr std::uint32_t TimestampBit = 4;
};

} // namespace canopy
