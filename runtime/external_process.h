#pragma once
#include "runtime/futex.h"
#include "runtime/process.h"
#include <atomic>
#include <chrono>
#include <cstdint>

namespace canopy {

/// The stand-in a plain (non-process) thread waits through in Runtime::call and awaitExit (runtime
/// internal): a control block with a mailbox and a pid — what a server replies to and a target
/// sends its DOWN to — that is never scheduled. A delivery that finds it idle wakes the waiting
/// thread (a futex) instead of queueing it; that thread is the mailbox's only consumer. Not in the
/// process table (observers do not see it); reused across calls.
class ExternalProcess final : public Process {
public:
    ExternalProcess(RuntimeCore& core, std::uint64_t id) : Process(core, id, nullptr) {
        status.store(ProcessStatus::External, std::memory_order_relaxed);
    }
    // Few and long-lived: plain aligned allocation, not the process pool's size class.
    static void* operator new(std::size_t size, std::align_val_t a) { return ::operator new(size, a); }
    static void operator delete(void* p, std::size_t, std::align_val_t a) noexcept { ::operator delete(p, a); }

    /// Producer side: the mailbox went from idle to non-empty (this delivery took the token).
    void wake() {
        m_wake.store(1, std::memory_order_release);
        Futex::wakeOne(m_wake);
    }
    /// Consumer side, before giving the token back: the next wake() is a new one.
    void prepareToSleep() { m_wake.store(0, std::memory_order_relaxed); }
    /// Consumer side: waits until woken (since prepareToSleep) or the deadline passes; false on timeout.
    bool sleepUntil(std::chrono::steady_clock::time_point deadline) {
        while (m_wake.load(std::memory_order_acquire) == 0)
            if (!Futex::waitUntil(m_wake, 0, deadline)) return m_wake.load(std::memory_order_acquire) != 0;
        return true;
    }

private:
    std::atomic<std::uint32_t> m_wake{0};
};

} // namespace canopy
