#pragma once
#include <cstddef>

namespace canopy {

/// Process control blocks (runtime internal): cache-line aligned, carved from slabs (64 KiB, then
/// 2 MiB populated up front; no per-block malloc header, no aligned-allocation slow
/// path), recycled through per-thread caches
/// that share a depot, so a block freed on one worker is reused by a spawn on another. Slabs are
/// kept for reuse, not returned to the system. Blocks of another size (and every block under a
/// sanitizer) use plain aligned new/delete.
class ProcessPool {
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* p, std::size_t size) noexcept;
};

} // namespace canopy
