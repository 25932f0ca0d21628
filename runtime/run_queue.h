#pragma once
#include <atomic>
#include <cstdint>

namespace canopy {

class Process;

/// A scheduler worker's local run queue (runtime internal): a lock-free bounded ring with one
/// producer — the owning worker, at the tail — and many consumers — the owner and idle workers
/// stealing, at the head, by compare-exchange (the work-stealing deque of Go's and Tokio's
/// schedulers: Chase–Lev's idea, with FIFO order for the owner too, so a process that used up its
/// budget goes behind the others). A thief takes half of it at once.
class RunQueue {
public:
    static constexpr std::uint32_t Capacity = 256;

    /// Owner: appends p; false when the ring is full (see takeHalf).
    bool push(Process* p) {
        const std::uint32_t h = m_head.load(std::memory_order_acquire);
        const std::uint32_t t = m_tail.load(std::memory_order_relaxed);
        if (t - h >= Capacity) return false;
        m_slots[t % Capacity].store(p, std::memory_order_relaxed);
        m_tail.store(t + 1, std::memory_order_release);
        return true;
    }
    /// Owner: takes the oldest entry; nullptr when empty.
    Process* pop() {
        for (;;) {
            std::uint32_t h = m_head.load(std::memory_order_acquire);
            const std::uint32_t t = m_tail.load(std::memory_order_relaxed);
            if (t == h) return nullptr;
            Process* p = m_slots[h % Capacity].load(std::memory_order_relaxed);
            if (m_head.compare_exchange_weak(h, h + 1, std::memory_order_release, std::memory_order_relaxed)) return p;
        }
    }
    /// Owner, when push found the ring full: takes the older half into out (Capacity / 2 entries)
    /// for the global queue; false if a thief took some meanwhile (then push again).
    bool takeHalf(Process** out) {
        std::uint32_t h = m_head.load(std::memory_order_acquire);
        const std::uint32_t t = m_tail.load(std::memory_order_relaxed);
        const std::uint32_t n = (t - h) / 2;
        if (n != Capacity / 2) return false;
        for (std::uint32_t i = 0; i < n; ++i) out[i] = m_slots[(h + i) % Capacity].load(std::memory_order_relaxed);
        return m_head.compare_exchange_strong(h, h + n, std::memory_order_release, std::memory_order_relaxed);
    }
    /// Thief: moves about half of this queue into `into` (the thief's own queue, owned by the
    /// calling thread) and returns one of them to run now; nullptr when there was nothing.
    Process* stealInto(RunQueue& into) {
        const std::uint32_t intoTail = into.m_tail.load(std::memory_order_relaxed);
        const std::uint32_t intoHead = into.m_head.load(std::memory_order_acquire);
        for (;;) {
            std::uint32_t h = m_head.load(std::memory_order_acquire);
            const std::uint32_t t = m_tail.load(std::memory_order_acquire);
            std::uint32_t n = t - h;
            n -= n / 2;
            if (n == 0) return nullptr;
            if (n > Capacity / 2) continue; // read head and tail across an update: again
            if (n > Capacity - (intoTail - intoHead)) n = Capacity - (intoTail - intoHead);
            if (n == 0) return nullptr;
            for (std::uint32_t i = 0; i < n; ++i)
                into.m_slots[(intoTail + i) % Capacity].store(m_slots[(h + i) % Capacity].load(std::memory_order_relaxed),
                                                              std::memory_order_relaxed);
            if (!m_head.compare_exchange_strong(h, h + n, std::memory_order_acq_rel, std::memory_order_relaxed))
                continue;
            // Keep the last one to run now, publish the others.
            Process* run = into.m_slots[(intoTail + n - 1) % Capacity].load(std::memory_order_relaxed);
            if (n > 1) into.m_tail.store(intoTail + n - 1, std::memory_order_release);
            return run;
        }
    }
    /// Entries queued (a snapshot; any thread).
    std::uint32_t size() const {
        const std::uint32_t h = m_head.load(std::memory_order_acquire);
        const std::uint32_t t = m_tail.load(std::memory_order_acquire);
        return t - h > Capacity ? 0 : t - h;
    }

private:
    alignas(64) std::atomic<std::uint32_t> m_head{0};
    alignas(64) std::atomic<std::uint32_t> m_tail{0};
    std::atomic<Process*> m_slots[Capacity] = {};
};

} // namespace canopy
