#pragma once
#include "runtime/clock.h"
#include <chrono>

namespace canopy {

/// The real monotonic clock (std::chrono::steady_clock).
class SteadyClock final : public Clock {
public:
    std::int64_t nowNs() const override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

} // namespace canopy
