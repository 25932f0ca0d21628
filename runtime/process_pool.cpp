#include "runtime/process_pool.h"
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CANOPY_PROCESS_POOL 0
#else
#define CANOPY_PROCESS_POOL 1
#endif

namespace canopy {

namespace {
constexpr std::align_val_t Align{64};
constexpr std::uint32_t Cap = 16384;

struct FreeBlock {
    FreeBlock* next;
};

struct ThreadBlocks {
    FreeBlock* head = nullptr;
    std::size_t size = 0;
    std::uint32_t count = 0;
    ~ThreadBlocks() {
        while (FreeBlock* b = head) {
            head = b->next;
            ::operator delete(b, Align);
        }
    }
};

thread_local ThreadBlocks tlsBlocks;
} // namespace

void* ProcessPool::allocate(std::size_t size) {
#if CANOPY_PROCESS_POOL
    ThreadBlocks& t = tlsBlocks;
    if (t.head && t.size == size) {
        FreeBlock* b = t.head;
        t.head = b->next;
        --t.count;
        return b;
    }
#endif
    return ::operator new(size, Align);
}

void ProcessPool::deallocate(void* p, std::size_t size) noexcept {
#if CANOPY_PROCESS_POOL
    ThreadBlocks& t = tlsBlocks;
    if (t.count < Cap && (t.size == size || t.count == 0)) {
        t.size = size;
        auto* b = static_cast<FreeBlock*>(p);
        b->next = t.head;
        t.head = b;
        ++t.count;
        return;
    }
#endif
    ::operator delete(p, Align);
}

} // namespace canopy
