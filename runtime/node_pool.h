#pragma once
#include <cstddef>

namespace canopy {

/// Per-thread free lists for message nodes (size classes of 16 bytes up to 256). A node freed on
/// another thread joins that thread's list; lists are capped, the rest goes back to the heap. Under
/// AddressSanitizer it is plain new/delete so use-after-free stays visible.
class NodePool {
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* p, std::size_t size) noexcept;
};

} // namespace canopy
