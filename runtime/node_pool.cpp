#include "runtime/node_pool.h"
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
constexpr std::uint32_t Cap = 4096;

struct FreeNode {
    FreeNode* next;
};

struct ThreadLists {
    FreeNode* head[Classes] = {};
    std::uint32_t count[Classes] = {};
    ~ThreadLists() {
        for (std::size_t c = 0; c < Classes; ++c)
            while (FreeNode* n = head[c]) {
                head[c] = n->next;
                ::operator delete(n);
            }
    }
};

thread_local ThreadLists tlsLists;

inline std::size_t classOf(std::size_t size) { return (size + Granule - 1) / Granule - 1; }
} // namespace

void* NodePool::allocate(std::size_t size) {
#if CANOPY_NODE_POOL
    std::size_t c = classOf(size);
    if (c < Classes) {
        ThreadLists& l = tlsLists;
        if (FreeNode* n = l.head[c]) {
            l.head[c] = n->next;
            --l.count[c];
            return n;
        }
        return ::operator new((c + 1) * Granule);
    }
#endif
    return ::operator new(size);
}

void NodePool::deallocate(void* p, std::size_t size) noexcept {
#if CANOPY_NODE_POOL
    std::size_t c = classOf(size);
    if (c < Classes) {
        ThreadLists& l = tlsLists;
        if (l.count[c] < Cap) {
            auto* n = static_cast<FreeNode*>(p);
            n->next = l.head[c];
            l.head[c] = n;
            ++l.count[c];
            return;
        }
    }
#endif
    ::operator delete(p);
}

} // namespace canopy
