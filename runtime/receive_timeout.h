#pragma once
#include <cstdint>

namespace canopy {

/// Sent to itself by a process whose selective receive has a timeout (runtime internal).
struct ReceiveTimeout {
    std::uint64_t id = 0;
};

} // namespace canopy
