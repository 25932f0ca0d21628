#include "runtime/slab_memory.h"
#include <cstdint>
#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace canopy {

char* SlabMemory::allocate(std::size_t bytes, std::size_t align) {
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
    return static_cast<char*>(::operator new(bytes, std::align_val_t(align)));
}

} // namespace canopy
