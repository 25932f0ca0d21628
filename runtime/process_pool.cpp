#include "runtime/process_pool.h"
#include "runtime/block_depot.h"
#include "runtime/process.h"
#include <cstdint>
#include <cstdlib>
#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

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
/// After a thread has carved this much, its slabs are 2 MiB, aligned and backed by a transparent
/// huge page where the system allows it: a million processes fault in 150 pages, not 75,000.
constexpr std::size_t HugeAfter = 1024 * 1024;
constexpr std::size_t HugeBytes = 2 * 1024 * 1024;

/// A fresh slab of `bytes` (never freed: blocks are recycled through the caches and the depot).
char* newSlab(std::size_t bytes) {
#if defined(__linux__)
    if (bytes == HugeBytes) {
        // Map twice the size and keep the 2 MiB-aligned middle, so the kernel can use a huge page.
        void* raw = mmap(nullptr, 2 * HugeBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw != MAP_FAILED) {
            const auto base = reinterpret_cast<std::uintptr_t>(raw);
            const std::uintptr_t aligned = (base + HugeBytes - 1) & ~std::uintptr_t(HugeBytes - 1);
            if (aligned > base) munmap(raw, aligned - base);
            const std::uintptr_t end = base + 2 * HugeBytes;
            if (end > aligned + HugeBytes) munmap(reinterpret_cast<void*>(aligned + HugeBytes), end - aligned - HugeBytes);
#if defined(MADV_HUGEPAGE)
            madvise(reinterpret_cast<void*>(aligned), HugeBytes, MADV_HUGEPAGE);
#endif
            return reinterpret_cast<char*>(aligned);
        }
    }
#endif
    return static_cast<char*>(::operator new(bytes, Align));
}
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
            t.slabNext = newSlab(bytes);
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
