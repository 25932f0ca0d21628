#pragma once
#include <chrono>
#include <cstdint>

namespace canopy {

/// Monotonic time source of a runtime (timers, server timeouts, restart windows). Injectable so
/// tests step time instead of sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    /// Monotonic nanoseconds since an arbitrary origin.
    virtual std::int64_t nowNs() const = 0;
    std::int64_t nowMs() const { return nowNs() / 1'000'000; }
};

} // namespace canopy
