#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#if defined(__linux__)
#include <cerrno>
#include <climits>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace canopy {

/// The futex calls a parking thread needs (runtime internal): wait while a 32-bit word holds a
/// value, with an optional deadline on the steady clock, and wake one waiter. Linux futexes;
/// elsewhere std::atomic::wait (the deadline is then only checked when woken).
struct Futex {
    /// Blocks while word == expected, until woken or `deadline` (steady_clock) passes. Returns
    /// false on timeout. Spurious returns are possible: callers re-check their condition.
    static bool waitUntil(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                          std::chrono::steady_clock::time_point deadline) {
#if defined(__linux__)
        timespec ts{};
        timespec* tsp = nullptr;
        if (deadline != std::chrono::steady_clock::time_point::max()) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
            ts.tv_sec = time_t(ns / 1'000'000'000);
            ts.tv_nsec = long(ns % 1'000'000'000);
            tsp = &ts;
        }
        // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline (steady_clock's clock).
        const long r = syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_BITSET_PRIVATE, expected,
                               tsp, nullptr, FUTEX_BITSET_MATCH_ANY);
        return !(r == -1 && errno == ETIMEDOUT);
#else
        if (std::chrono::steady_clock::now() >= deadline) return false;
        word.wait(expected);
        return true;
#endif
    }
    /// Blocks while word == expected, until woken.
    static void wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
        waitUntil(word, expected, std::chrono::steady_clock::time_point::max());
    }
    /// Wakes one thread blocked on word.
    static void wakeOne(std::atomic<std::uint32_t>& word) {
#if defined(__linux__)
        syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
#else
        word.notify_one();
#endif
    }
};

} // namespace canopy
