#pragma once
#include <cstddef>

namespace canopy {

/// Fresh memory for the runtime's block pools (runtime internal). Slabs are never freed: their
/// blocks are recycled through per-thread caches and a shared depot.
class SlabMemory {
public:
    /// Size of a big slab (2 MiB).
    static constexpr std::size_t HugeBytes = 2 * 1024 * 1024;
    /// A fresh slab of `bytes`, aligned to `align`. A HugeBytes slab is its own mapping, populated
    /// with small pages in one call (MADV_POPULATE_WRITE where the kernel has it): no page fault per
    /// 4 KiB later, and no transparent huge page — on a virtual machine whose host takes freed
    /// memory back (free page reporting), faulting in a huge page can stall for milliseconds.
    static char* allocate(std::size_t bytes, std::size_t align);
};

} // namespace canopy
