#pragma once
#include <atomic>
#include <thread>

namespace canopy {

/// A one-byte test-and-test-and-set lock for very short critical sections (a process's link and
/// monitor tables, read by observers). Satisfies BasicLockable.
class SpinLock {
public:
    void lock() noexcept {
        for (unsigned i = 0;; ++i) {
            if (!m_flag.exchange(true, std::memory_order_acquire)) return;
            while (m_flag.load(std::memory_order_relaxed)) {
                if (++i % 64 == 0) std::this_thread::yield();
            }
        }
    }
    bool try_lock() noexcept {
        return !m_flag.load(std::memory_order_relaxed) && !m_flag.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { m_flag.store(false, std::memory_order_release); }

private:
    std::atomic<bool> m_flag{false};
};

} // namespace canopy
