#pragma once
#include "runtime/scheduler.h"
#include <deque>
#include <mutex>

namespace canopy {

class RuntimeCore;

/// Deterministic single-threaded scheduler: processes run only inside runUntilIdle(), FIFO.
class ManualScheduler final : public Scheduler {
public:
    explicit ManualScheduler(RuntimeCore& core) : m_core(core) {}
    void enqueue(Process* p) override;
    void start() override {}
    void stop() override {}
    std::size_t runUntilIdle() override;
    unsigned workerCount() const override { return 0; }
    std::int64_t activeCount() const override;
    Process* takeAny() override;

private:
    RuntimeCore& m_core;
    mutable std::mutex m_mutex; // enqueues may come from other threads (timers never: manual clock)
    std::deque<Process*> m_queue;
    bool m_running = false;
};

} // namespace canopy
