#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace canopy {

/// Free blocks of one size, linked through their first word (runtime internal).
struct FreeBlock {
    FreeBlock* next;
};

/// A chain of free blocks handed between a thread's cache and the depot in one piece.
struct BlockBatch {
    FreeBlock* head = nullptr;
    std::uint32_t count = 0;
};

/// The shared store behind per-thread block caches (runtime internal): a thread whose cache
/// overflows hands a batch here, a thread whose cache is empty takes one. Blocks freed on another
/// thread than the one that allocated them — a message sent from a plain thread and freed by a
/// worker, a process spawned by one worker that dies on another — thus come back into use instead
/// of piling up on one side and being missed on the other. One mutex, taken once per batch.
class BlockDepot {
public:
    /// maxBlocks: how many blocks the depot keeps at most (0: no limit).
    explicit BlockDepot(std::size_t maxBlocks = 0) : m_maxBlocks(maxBlocks) {}
    /// Adds a batch (any thread); false (the batch is still the caller's) when the depot is full.
    bool put(BlockBatch b) {
        if (!b.head) return true;
        std::lock_guard g(m_mutex);
        if (m_maxBlocks && m_blocks + b.count > m_maxBlocks) return false;
        m_batches.push_back(b);
        m_blocks += b.count;
        m_size.store(m_batches.size(), std::memory_order_relaxed);
        return true;
    }
    /// Takes a batch; false when the depot is empty.
    bool take(BlockBatch& out) {
        if (m_size.load(std::memory_order_relaxed) == 0) return false; // no lock while empty
        std::lock_guard g(m_mutex);
        if (m_batches.empty()) return false;
        out = m_batches.back();
        m_batches.pop_back();
        m_blocks -= out.count;
        m_size.store(m_batches.size(), std::memory_order_relaxed);
        return true;
    }

private:
    std::mutex m_mutex;
    std::vector<BlockBatch> m_batches;
    std::size_t m_blocks = 0;
    const std::size_t m_maxBlocks;
    std::atomic<std::size_t> m_size{0};
};

/// One thread's free blocks of one size, spilling half to a BlockDepot past `Cap` and refilling
/// from it when empty (runtime internal). The fast paths (pop, push) touch only the cache; the
/// depot is needed only on the slow paths (refill, spill).
template <std::uint32_t Cap> class BlockCache {
public:
    /// A free block, or nullptr when the cache is empty (then refill).
    void* pop() {
        FreeBlock* f = m_head;
        if (!f) return nullptr;
        m_head = f->next;
        --m_count;
        return f;
    }
    /// Takes a batch from the depot; false when it has none.
    bool refill(BlockDepot& depot) {
        BlockBatch b;
        if (!depot.take(b)) return false;
        m_head = b.head;
        m_count = b.count;
        return true;
    }
    /// Takes a batch of fresh blocks (the cache is empty).
    void adopt(BlockBatch b) {
        m_head = b.head;
        m_count = b.count;
    }
    /// Adds a free block; true when the cache is now over Cap (then spill).
    bool push(void* p) {
        auto* f = static_cast<FreeBlock*>(p);
        f->next = m_head;
        m_head = f;
        return ++m_count > Cap;
    }
    /// Keeps Cap/2 blocks and hands the rest to the depot in one batch; when the depot is full
    /// the batch is returned (free each block of it).
    BlockBatch spill(BlockDepot& depot) {
        FreeBlock* cut = m_head;
        for (std::uint32_t i = 1; i < Cap / 2; ++i) cut = cut->next;
        BlockBatch b{cut->next, m_count - Cap / 2};
        cut->next = nullptr;
        m_count = Cap / 2;
        return depot.put(b) ? BlockBatch{} : b;
    }
    /// Hands everything to the depot (thread exit); what it does not take is returned.
    BlockBatch flush(BlockDepot& depot) {
        BlockBatch b{m_head, m_count};
        m_head = nullptr;
        m_count = 0;
        return depot.put(b) ? BlockBatch{} : b;
    }

private:
    FreeBlock* m_head = nullptr;
    std::uint32_t m_count = 0;
};

} // namespace canopy
