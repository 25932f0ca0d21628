#pragma once
#include <cstdint>

namespace canopy {

/// A reference naming one monitor (each monitor() call makes a new one). 0 = none.
struct MonitorRef {
    std::uint64_t value = 0;
    explicit operator bool() const { return value != 0; }
    friend bool operator==(MonitorRef, MonitorRef) = default;
};

} // namespace canopy
