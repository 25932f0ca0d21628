#pragma once
#include <cstddef>

namespace canopy {

/// Fresh memory for the runtime's block pools (runtime internal). Slabs are never freed: their
/// blocks are recycled through per-thread caches and a shared depot.
class SlabMemory {
public:
    /// Size of a huge slab: one transparent huge page.
    static constexpr std::size_t HugeBytes = 2 * 1024 * 1024;
    /// A fresh slab of `bytes`, aligned to `align`; a HugeBytes slab is 2 MiB-aligned and backed by
    /// a transparent huge page where the system allows it (one page fault instead of 512).
    static char* allocate(std::size_t bytes, std::size_t align);
};

} // namespace canopy
