#pragma once
#include <cstdint>

namespace canopy {

/// A GenServer's own timeout timer message (runtime internal); stale generations are ignored.
struct ServerTimeoutTick {
    std::uint64_t gen = 0;
};

} // namespace canopy
