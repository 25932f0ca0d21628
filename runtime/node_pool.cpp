#include "runtime/node_pool.h"
#include "runtime/block_depot.h"
#include <array>
#include <cstdint>
#include <new>
#include <utility>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CANOPY_NODE_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CANOPY_NODE_POOL 0
#endif
#endif
#ifndef CANOPY_NODE_POOL
#define CANOPY_NODE_POOL 1
#endif

namespace canopy {

namespace {
constexpr std::size_t Granule = 16;
constexpr std::size_t Classes = 32; // up to 512 bytes

/// Nodes a depot keeps per size class; beyond that, spilled nodes go back to the heap (a burst
/// of queued messages does not stay reserved for ever).
constexpr std::size_t DepotCap = 64 * 1024;

struct Depots {
    std::array<BlockDepot, Classes> byClass;
    Depots() : byClass(make(std::make_index_sequence<Classes>())) {}
    template <std::size_t... I> static std::array<BlockDepot, Classes> make(std::index_sequence<I...>) {
        return {BlockDepot((void(I), DepotCap))...};
    }
};

std::array<BlockDepot, Classes>& depots() {
    static auto* d = new Depots(); // never destroyed: caches flush at thread exit
    return d->byClass;
}

void freeAll(BlockBatch b) {
    while (FreeBlock* f = b.head) {
        b.head = f->next;
        ::operator delete(f);
    }
}

struct ThreadLists {
    std::array<BlockCache<4096>, Classes> caches;
    ~ThreadLists() {
        for (std::size_t c = 0; c < Classes; ++c) freeAll(caches[c].flush(depots()[c]));
    }
};

thread_local ThreadLists tlsLists;

inline std::size_t classOf(std::size_t size) { return (size + Granule - 1) / Granule - 1; }

// The slow paths, out of line so the fast ones stay a handful of instructions.
[[gnu::noinline]] void* allocateSlow(std::size_t c) {
    auto& cache = tlsLists.caches[c];
    if (cache.refill(depots()[c])) return cache.pop();
    return ::operator new((c + 1) * Granule);
}

[[gnu::noinline]] void spillSlow(std::size_t c) { freeAll(tlsLists.caches[c].spill(depots()[c])); }

} // namespace

void* NodePool::allocate(std::size_t size) {
#if CANOPY_NODE_POOL
    const std::size_t c = classOf(size);
    if (c < Classes) {
        if (void* p = tlsLists.caches[c].pop()) return p;
        return allocateSlow(c);
    }
#endif
    return ::operator new(size);
}

void NodePool::deallocate(void* p, std::size_t size) noexcept {
#if CANOPY_NODE_POOL
    const std::size_t c = classOf(size);
    if (c < Classes) {
        if (tlsLists.caches[c].push(p)) spillSlow(c);
        return;
    }
#endif
    ::operator delete(p);
}

} // namespace canopy
