#include "runtime/node_pool.h"
#include "runtime/block_depot.h"
#include "runtime/slab_memory.h"
#include <array>
#include <cstdint>
#include <mutex>
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
/// Size classes of 8 bytes: a message node of an 8-byte value is 40 bytes, not 48 (a block of a type
/// aligned to 16 has a size that is a multiple of 16, so its stride keeps it aligned).
constexpr std::size_t Granule = 8;
constexpr std::size_t Classes = 64; // up to 512 bytes

/// Fresh blocks are carved from pieces of this size (one piece feeds one thread's cache of one
/// class: 1,638 message nodes of 40 bytes), cut from 2 MiB slabs once the pool has handed out
/// a MiB (a small runtime stays small; a burst of a million queued messages populates 25 slabs in
/// one call each instead of taking 12,000 page faults, and costs no malloc per node).
constexpr std::size_t PieceBytes = 64 * 1024;
constexpr std::size_t HugeAfter = 1024 * 1024;

struct Depots {
    std::array<BlockDepot, Classes> byClass; // no limit: carved blocks are never freed
};

std::array<BlockDepot, Classes>& depots() {
    static auto* d = new Depots(); // never destroyed: caches flush at thread exit
    return d->byClass;
}

/// Hands out pieces of fresh memory to every thread's caches (one mutex, taken once per piece).
class PieceSource {
public:
    char* take() {
        std::lock_guard g(m_mutex);
        if (m_carved < HugeAfter) {
            m_carved += PieceBytes;
            return SlabMemory::allocate(PieceBytes, 64);
        }
        if (m_next == m_end) {
            m_next = SlabMemory::allocate(SlabMemory::HugeBytes, 64);
            m_end = m_next + SlabMemory::HugeBytes;
        }
        char* p = m_next;
        m_next += PieceBytes;
        return p;
    }

private:
    std::mutex m_mutex;
    char* m_next = nullptr;
    char* m_end = nullptr;
    std::size_t m_carved = 0;
};

PieceSource& pieces() {
    static auto* s = new PieceSource(); // never destroyed, like the depots
    return *s;
}

/// A fresh piece cut into blocks of class c, linked in address order.
BlockBatch carve(std::size_t c) {
    const std::size_t size = (c + 1) * Granule;
    char* p = pieces().take();
    const std::uint32_t n = std::uint32_t(PieceBytes / size);
    for (std::uint32_t i = 0; i + 1 < n; ++i)
        reinterpret_cast<FreeBlock*>(p + i * size)->next = reinterpret_cast<FreeBlock*>(p + (i + 1) * size);
    reinterpret_cast<FreeBlock*>(p + (n - 1) * size)->next = nullptr;
    return BlockBatch{reinterpret_cast<FreeBlock*>(p), n};
}

struct ThreadLists {
    std::array<BlockCache<4096>, Classes> caches;
    ~ThreadLists() {
        for (std::size_t c = 0; c < Classes; ++c) caches[c].flush(depots()[c]); // (no limit: taken)
    }
};

thread_local ThreadLists tlsLists;

inline std::size_t classOf(std::size_t size) { return (size + Granule - 1) / Granule - 1; }

// The slow paths, out of line so the fast ones stay a handful of instructions.
[[gnu::noinline]] void* allocateSlow(std::size_t c) {
    auto& cache = tlsLists.caches[c];
    if (!cache.refill(depots()[c])) cache.adopt(carve(c));
    return cache.pop();
}

[[gnu::noinline]] void spillSlow(std::size_t c) { tlsLists.caches[c].spill(depots()[c]); } // (no limit: taken)

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
