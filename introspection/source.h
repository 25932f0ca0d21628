#pragma once
#include "introspection/wire_message.h"
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// Where a session's messages come from: a live probe connection or a session file. Consumers feed
/// what next() returns into a SessionModel; the code path is the same for both.
class Source {
public:
    /// Outcome of next().
    enum class Outcome {
        Message, ///< `out` holds the next message
        Timeout, ///< nothing arrived within the timeout (live sources only)
        End,     ///< the stream ended cleanly (end of file, or the probe closed the connection)
        Error,   ///< error() says what went wrong
    };
    virtual ~Source() = default;
    /// Waits up to `timeoutMs` (negative = forever) for the next message.
    virtual Outcome next(WireMessage& out, int timeoutMs) = 0;
    /// The last error, one line.
    virtual const std::string& error() const = 0;
    /// Probe clock at the session's start (session time 0).
    virtual std::int64_t startNs() const = 0;
    /// A short description ("127.0.0.1:4040", "run.canopy").
    virtual std::string describe() const = 0;
};

} // namespace canopy::introspection
