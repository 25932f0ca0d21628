#include "runtime/node_pool.h"
#include "runtime/block_depot.h"
#include <array>
#include <cstdint>
#include <new>

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
constexpr std::size_t Classes = 16; // up to 256 bytes

std::array<BlockDepot, Classes>& depots() {
    static auto* d = new std::array<BlockDepot, Classes>(); // never destroyed: caches flush at thread exit
    return *d;
}

struct ThreadLists {
    std::array<BlockCache<4096>, Classes> caches;
    ~ThreadLists() {
        for (std::size_t c = 0; c < Classes; ++c) caches[c].flush(depots()[c]);
    }
};

thread_local ThreadLists tlsLists;

inline std::size_t classOf(std::size_t size) { return (size + Granule - 1) / Granule - 1; }
} // namespace

void* NodePool::allocate(std::size_t size) {
#if CANOPY_NODE_POOL
    const std::size_t c = classOf(size);
    if (c < Classes) {
        auto& cache = tlsLists.caches[c];
        if (void* p = cache.pop()) return p;
        if (cache.refill(depots()[c])) return cache.pop();
        return ::operator new((c + 1) * Granule);
    }
#endif
    return ::operator new(size);
}

void NodePool::deallocate(void* p, std::size_t size) noexcept {
#if CANOPY_NODE_POOL
    const std::size_t c = classOf(size);
    if (c < Classes) {
        auto& cache = tlsLists.caches[c];
        if (cache.push(p)) cache.spill(depots()[c]);
        return;
    }
#endif
    ::operator delete(p);
}

} // namespace canopy
