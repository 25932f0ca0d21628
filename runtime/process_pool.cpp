#include "runtime/process_pool.h"
#include "runtime/block_depot.h"
#include "runtime/process.h"
#include "runtime/slab_memory.h"
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CANOPY_PROCESS_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CANOPY_PROCESS_POOL 0
#endif
#endif
#ifndef CANOPY_PROCESS_POOL
#define CANOPY_PROCESS_POOL 1
#endif

namespace canopy {

namespace {
constexpr std::align_val_t Align{64};
constexpr std::size_t BlockSize = sizeof(Process);
constexpr std::size_t SlabBytes = 64 * 1024;
/// After a thread has carved this much, its slabs are 2 MiB mappings of their own, populated with
/// small pages in one call (SlabMemory): a million processes take ~125 such calls, not
/// 62,500 page faults.
constexpr std::size_t HugeAfter = 1024 * 1024;
constexpr std::size_t HugeBytes = SlabMemory::HugeBytes;

static_assert(BlockSize % 64 == 0, "process blocks are whole cache lines");

BlockDepot& depot() {
    static BlockDepot* d = new BlockDepot(); // never destroyed: thread caches flush into it at exit
    return *d;
}

struct ThreadBlocks {
    BlockCache<512> cache;
    char* slabNext = nullptr;
    char* slabEnd = nullptr;
    std::size_t carved = 0;
    ~ThreadBlocks() { cache.flush(depot()); } // (no limit: the depot takes all; the slab's rest is left)
};

thread_local ThreadBlocks tlsBlocks;
} // namespace

void* ProcessPool::allocate(std::size_t size) {
#if CANOPY_PROCESS_POOL
    if (size == BlockSize) {
        ThreadBlocks& t = tlsBlocks;
        if (void* p = t.cache.pop()) return p;
        if (t.cache.refill(depot())) return t.cache.pop();
        if (t.slabNext == t.slabEnd) {
            const std::size_t bytes = t.carved < HugeAfter ? SlabBytes : HugeBytes;
            t.slabNext = SlabMemory::allocate(bytes, std::size_t(Align));
            t.slabEnd = t.slabNext + bytes;
            t.carved += bytes;
        }
        void* p = t.slabNext;
        t.slabNext += BlockSize;
        return p;
    }
#endif
    return ::operator new(size, Align);
}

void ProcessPool::deallocate(void* p, std::size_t size) noexcept {
#if CANOPY_PROCESS_POOL
    if (size == BlockSize) {
        ThreadBlocks& t = tlsBlocks;
        if (t.cache.push(p)) t.cache.spill(depot()); // (no limit: the depot takes all)
        return;
    }
#endif
    ::operator delete(p, Align);
}

} // namespace canopy
