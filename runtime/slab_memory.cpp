#include "runtime/slab_memory.h"
#include <cstdint>
#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace canopy {

char* SlabMemory::allocate(std::size_t bytes, std::size_t align) {
#if defined(__linux__)
    if (bytes == HugeBytes && align <= 4096) {
        void* raw = mmap(nullptr, HugeBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw != MAP_FAILED) {
            // Small pages on purpose (see the header): measured on the benchmark VM after BEAM and
            // CAF runs, a 2 MiB huge-page fault took ~5 ms (vs 0.25 ms otherwise), 512 small pages
            // populated in one call ~0.55 ms, faulted one by one ~0.75 ms.
#if defined(MADV_NOHUGEPAGE)
            madvise(raw, HugeBytes, MADV_NOHUGEPAGE);
#endif
#if defined(MADV_POPULATE_WRITE)
            madvise(raw, HugeBytes, MADV_POPULATE_WRITE); // best effort: else faulted on first touch
#else
            madvise(raw, HugeBytes, 23 /* MADV_POPULATE_WRITE, Linux 5.14 */);
#endif
            return static_cast<char*>(raw);
        }
    }
#endif
    return static_cast<char*>(::operator new(bytes, std::align_val_t(align)));
}

} // namespace canopy
