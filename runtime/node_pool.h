#pragma once
#include <cstddef>

namespace canopy {

/// Message node memory, and the extras blocks of processes (size classes of 8 bytes up to 512):
/// blocks carved from slabs (2 MiB populated slabs past the first MiB; no malloc per node), per-thread free
/// lists that spill to and refill from a shared depot in batches, so nodes allocated on one thread
/// and freed on another (every cross-thread message) are reused. Memory is kept for reuse, not
/// returned to the system (a burst of queued messages stays reserved, like process slabs). Under
/// AddressSanitizer and ThreadSanitizer it is plain new/delete so use-after-free stays visible.
class NodePool {
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* p, std::size_t size) noexcept;
};

} // namespace canopy
