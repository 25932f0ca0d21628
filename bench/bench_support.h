#pragma once
// Shared helpers of canopy-bench: clock, RESULT lines, memory readings, and a one-shot flag the
// main (non-process) thread waits on while processes run a benchmark.
#include "runtime/runtime_options.h"
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace canopy::bench {

/// Monotonic nanoseconds (steady_clock, as the peers use).
inline std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Prints `RESULT <test> <metric> <value> <unit>` (the peers' format) and flushes.
inline void result(const char* test, const char* metric, double value, const char* unit) {
    std::printf("RESULT %s %s %.3f %s\n", test, metric, value, unit);
    std::fflush(stdout);
}

/// Resident set size of this process in bytes (/proc/self/statm).
inline long rssBytes() {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

/// MemAvailable of the machine in bytes (/proc/meminfo), -1 if unknown.
inline long long memAvailableBytes() {
    long long kb = -1;
    if (FILE* f = std::fopen("/proc/meminfo", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "MemAvailable:", 13) == 0) {
                kb = std::atoll(line + 13);
                break;
            }
        }
        std::fclose(f);
    }
    return kb < 0 ? -1 : kb * 1024;
}

/// Runtime options from the environment: CANOPY_WORKERS (0 = one per core, the default),
/// CANOPY_SPIN (spin rounds before an idle worker parks), CANOPY_BUDGET (messages per turn).
inline RuntimeOptions optionsFromEnv() {
    RuntimeOptions o;
    if (const char* w = std::getenv("CANOPY_WORKERS"))
        o.workers = static_cast<unsigned>(std::atoi(w));
    if (const char* s = std::getenv("CANOPY_SPIN"))
        o.spinBeforePark = static_cast<unsigned>(std::atoi(s));
    if (const char* b = std::getenv("CANOPY_BUDGET"))
        o.budget = static_cast<unsigned>(std::atoi(b));
    return o;
}

/// A flag raised by process code and awaited by the main thread (futex wait, no spinning, so the
/// waiting thread does not compete with the workers for the two cores).
class Signal {
public:
    /// Raises the flag and wakes the waiter.
    void raise() {
        m_flag.store(1, std::memory_order_release);
        m_flag.notify_all();
    }
    /// Blocks until raised.
    void wait() {
        while (m_flag.load(std::memory_order_acquire) == 0)
            m_flag.wait(0, std::memory_order_acquire);
    }
    /// Lowers the flag again (only while no process can raise it).
    void reset() { m_flag.store(0, std::memory_order_relaxed); }
    bool raised() const { return m_flag.load(std::memory_order_acquire) != 0; }

private:
    std::atomic<int> m_flag{0};
};

/// Raises its signal when count() has been called `n` times.
class Countdown {
public:
    explicit Countdown(std::int64_t n) : m_left(n) {}
    void count() {
        if (m_left.fetch_sub(1, std::memory_order_acq_rel) == 1)
            m_done.raise();
    }
    void wait() { m_done.wait(); }

private:
    std::atomic<std::int64_t> m_left;
    Signal m_done;
};

} // namespace canopy::bench
