#pragma once
#include <cstddef>

namespace canopy {

/// Message node memory, and the extras blocks of processes (size classes of 16 bytes up to 512): per-thread free lists that spill to
/// and refill from a shared depot in batches, so nodes allocated on one thread and freed on
/// another (every cross-thread message) are reused rather than returned to malloc. The depot keeps
/// at most 64k nodes per class; beyond that spilled nodes go back to the heap. Under
/// AddressSanitizer it is plain new/delete so use-after-free stays visible.
class NodePool {
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* p, std::size_t size) noexcept;
};

} // namespace canopy
