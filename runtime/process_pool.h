#pragma once
#include <cstddef>

namespace canopy {

/// Per-thread free lists of cache-line-aligned process control blocks (spawn/exit churn without
/// the allocator's aligned slow path). Plain aligned new/delete under sanitizers.
class ProcessPool {
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* p, std::size_t size) noexcept;
};

} // namespace canopy
