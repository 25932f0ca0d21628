#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>

namespace canopy {

class Process;
class TimerWheel;

/// Runs runnable processes (runtime internal). The core hands it a process with its scheduling token
/// taken and one reference added; the scheduler calls RuntimeCore::runTurn for it.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    /// Makes a process runnable.
    virtual void enqueue(Process* p) = 0;
    /// Re-queues a process that used up its budget: behind everything already runnable.
    virtual void yield(Process* p) { enqueue(p); }
    /// Makes a process runnable without urgency (a tracer fed by the process now running): behind
    /// everything already runnable and without waking a parked worker, so the consumer gets to run
    /// after a stretch of the producer's work and takes its messages in batches.
    virtual void enqueueBackground(Process* p) { yield(p); }
    /// Starts worker threads (no-op for the manual scheduler).
    virtual void start() = 0;
    /// Stops and joins worker threads; queued processes are left for the core to drain.
    virtual void stop() = 0;
    /// Manual scheduler: runs until no process is runnable. Returns turns made.
    virtual std::size_t runUntilIdle() { return 0; }
    /// Worker thread count (0 for manual).
    virtual unsigned workerCount() const = 0;
    /// Processes queued or running right now.
    virtual std::int64_t activeCount() const = 0;
    /// Takes one queued process without running it (shutdown drain); nullptr when none.
    virtual Process* takeAny() = 0;
    /// The timer wheel of the worker running on this thread (its index in *index), or nullptr
    /// off the workers (and for the manual scheduler).
    virtual TimerWheel* localWheel(unsigned* index) { return nullptr; }
    /// Worker index's timer wheel (nullptr if none).
    virtual TimerWheel* wheel(unsigned index) { return nullptr; }
    /// The earliest event of any worker's timer wheel (max() when none).
    virtual std::int64_t nextWheelEventNs() const { return std::numeric_limits<std::int64_t>::max(); }
};

} // namespace canopy
