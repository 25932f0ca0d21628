#pragma once
#include <cstdint>
#include <string>

namespace canopy::demo {

/// One named progress counter of a demo system (e.g. "entries_added" = 1234).
struct DemoCounter {
    std::string name;
    std::uint64_t value = 0;
};

} // namespace canopy::demo
