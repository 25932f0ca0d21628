#pragma once
#include <cstdint>

namespace canopy {

/// Names one timer started by sendAfter(); cancel it with cancelTimer(). 0 = none.
struct TimerRef {
    std::uint64_t value = 0;
    explicit operator bool() const { return value != 0; }
    friend bool operator==(TimerRef, TimerRef) = default;
};

} // namespace canopy
