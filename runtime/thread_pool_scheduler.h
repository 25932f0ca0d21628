#pragma once
#include "runtime/scheduler.h"
#include "runtime/timer_wheel.h"
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace canopy {

class RuntimeCore;

/// M:N scheduler on a fixed pool of worker threads.
///
/// Park/wake policy: a worker that finds no work in its run-next slot, its own queue, the global
/// queue or (by stealing) another worker's queue spins `spinBeforePark` rounds, then parks on a futex
/// (std::atomic::wait). An enqueue wakes one parked worker only when there is queued work beyond
/// what the enqueuing worker will run next, so a ping-pong pair stays on one hot thread while a
/// burst spreads over all cores. Run-next (LIFO slot) keeps message chains cache-local; after 32
/// consecutive run-next turns the worker takes from its FIFO queue so nothing starves.
class ThreadPoolScheduler final : public Scheduler {
public:
    ThreadPoolScheduler(RuntimeCore& core, unsigned workers, unsigned spinBeforePark);
    ~ThreadPoolScheduler() override;
    void enqueue(Process* p) override;
    void yield(Process* p) override;
    void enqueueBackground(Process* p) override;
    void start() override;
    void stop() override;
    unsigned workerCount() const override { return unsigned(m_workers.size()); }
    std::int64_t activeCount() const override { return m_active.load(std::memory_order_acquire); }
    Process* takeAny() override;
    TimerWheel* localWheel(unsigned* index) override;
    TimerWheel* wheel(unsigned index) override;
    std::int64_t nextWheelEventNs() const override;

private:
    struct Worker {
        unsigned index = 0;
        /// This worker's timers (see TimerWheel), and the scratch its due timers are collected in.
        TimerWheel wheel;
        std::vector<TimerWheel::Due> due;
        unsigned turnsSinceTimers = 0;
        std::mutex mutex;
        std::deque<Process*> queue;
        Process* runNext = nullptr;
        unsigned runNextStreak = 0;
        unsigned tick = 0;
        std::atomic<std::uint32_t> parked{0};
        std::thread thread;
    };
    void workerLoop(unsigned index);
    Process* findWork(Worker& self, unsigned index);
    /// Behind everything queued: this worker's queue, or the global one off the workers; `wake`
    /// wakes a parked worker if there is one.
    void queueBehind(Process* p, bool wake);
    Process* popGlobal();
    void wakeOne();
    /// Fires what is due in w's wheel (any thread; w's own worker normally). True if any fired.
    bool fireTimers(Worker& w, std::int64_t nowNs);
    /// An idle worker fires the timers of workers that are overdue by more than a grace period
    /// (their worker is stuck in a long handler or descheduled).
    bool fireOverdueTimers(unsigned self, std::int64_t nowNs);

    RuntimeCore& m_core;
    unsigned m_spin;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::mutex m_globalMutex;
    std::deque<Process*> m_global;
    // Each counter on its own cache line: they are written on every enqueue and turn, and idle
    // workers poll them.
    alignas(64) std::atomic<std::int64_t> m_active{0};
    alignas(64) std::atomic<std::int64_t> m_queued{0};
    alignas(64) std::atomic<int> m_sleepers{0};
    std::atomic<bool> m_stopping{false};
};

} // namespace canopy
