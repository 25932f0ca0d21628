#pragma once
#include "runtime/mailbox.h"
#include "runtime/run_queue.h"
#include "runtime/scheduler.h"
#include "runtime/spin_lock.h"
#include "runtime/timer_wheel.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace canopy {

class RuntimeCore;

/// M:N scheduler on a fixed pool of worker threads.
///
/// Each worker has a run-next slot (the last process it made runnable: a message chain stays on one
/// hot core), a lock-free local run queue (RunQueue: the owner pushes and pops, idle workers steal
/// half), a timer wheel, and counters of its own. Outside threads feed a global injection queue
/// (a lock-free MPSC queue; workers take from it in batches under a try-lock) that every worker
/// checks at least every 61 turns. After 32 consecutive run-next turns a worker takes from its queue
/// so nothing starves.
///
/// The run-next slot is stealable after a grace period: an idle worker that sees another worker's
/// run-next occupant sit there while that worker makes no progress (descheduled by the kernel, or
/// inside a long handler) takes it. One parked worker keeps watch (it parks for a grace period at a
/// time while other workers are busy), so a descheduled worker strands no process.
///
/// Park/wake policy: a worker that finds no work spins `spinBeforePark` rounds, then parks on a
/// futex (until its next timer). An enqueue wakes one parked worker only when it leaves queued work
/// behind (a push to the run queue or the global queue, not into an empty run-next slot) and no
/// worker is spinning already (the spinner finds it; the last spinner to find work wakes a parked
/// worker if more is queued), so a ping-pong pair stays on one hot thread, a plain thread spawning
/// one process after another keeps one worker busy instead of waking all of them (they would take
/// its core), and a burst still spreads over all cores.
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
    std::int64_t activeCount() const override;
    Process* takeAny() override;
    TimerWheel* localWheel(unsigned* index) override;
    TimerWheel* wheel(unsigned index) override;
    std::int64_t nextWheelEventNs() const override;

    /// How long a run-next occupant may wait on a worker that makes no progress before an idle
    /// worker takes it.
    static constexpr std::int64_t RunNextGraceNs = 1'000'000;

private:
    struct Worker {
        RunQueue queue;
        alignas(64) std::atomic<Process*> runNext{nullptr};
        /// Processes this worker made runnable / turns it finished (owner-only writes; activeCount
        /// sums them). `finished` is also its progress: thieves compare snapshots of it.
        std::atomic<std::int64_t> enqueued{0};
        std::atomic<std::int64_t> finished{0};
        unsigned index = 0;
        unsigned runNextStreak = 0;
        unsigned tick = 0;
        unsigned turnsSinceTimers = 0;
        /// What this worker (as a thief) last saw of each other worker: its finished turns, and
        /// since when.
        struct Seen {
            std::int64_t progress = -1;
            std::int64_t sinceNs = 0;
        };
        std::vector<Seen> seen;
        /// This worker's timers (see TimerWheel), and the scratch its due timers are collected in.
        TimerWheel wheel;
        std::vector<TimerWheel::Due> due;
        alignas(64) std::atomic<std::uint32_t> parked{0};
        std::thread thread;
    };
    void workerLoop(unsigned index);
    Process* findWork(Worker& self, bool stealRunNext, std::int64_t nowNs);
    /// Behind everything queued: this worker's queue, or the global one off the workers; `wake`
    /// wakes a parked worker if there is one.
    void queueBehind(Process* p, bool wake);
    /// Owner: appends to its run queue, moving half of it to the global queue when full.
    void pushLocal(Worker& w, Process* p);
    void pushGlobal(Process* p);
    /// Several at once (one node: a run queue's overflow, or what a batch left over).
    void pushGlobal(std::vector<Process*> batch);
    /// Takes a batch from the global queue (into self's run queue) and returns one to run.
    Process* popGlobal(Worker* self);
    bool globalMaybeNonEmpty() const { return m_global.pushedSinceEmpty(); }
    void wakeOne();
    /// A worker going from idle to busy: if others sleep and none keeps watch, wakes one to park
    /// again as the watch (else a long handler here could strand what this worker queues).
    void ensureWatch(Worker& self);
    /// True when some worker is parked and either no worker is spinning (looking for work) or no
    /// parked worker keeps watch.
    bool noSpinnerButSleepers() const;
    /// True when the global queue or a worker's run queue holds a process (a hint).
    bool workQueued() const;
    void countEnqueue(Worker* w);
    /// Fires what is due in w's wheel (any thread; w's own worker normally). True if any fired.
    bool fireTimers(Worker& w, std::int64_t nowNs);
    /// An idle worker fires the timers of workers that are overdue by more than a grace period
    /// (their worker is stuck in a long handler or descheduled).
    bool fireOverdueTimers(unsigned self, std::int64_t nowNs);
    /// Why park() returned.
    enum class Wake : std::uint8_t { Woken, Timer, Watch };
    /// Parks the calling worker until woken, its next timer, or (as the watch) a grace period.
    Wake park(Worker& self);
    /// True (and seen updated) when victim has made no progress for a grace period while busy.
    bool stuck(Worker& self, Worker& victim, std::int64_t nowNs);
    /// The watch's round: takes run-next occupants and queued processes of stuck workers only.
    Process* stealFromStuck(Worker& self, std::int64_t nowNs);
    /// True when a worker other than self is not parked.
    bool othersBusy(unsigned self) const;

    RuntimeCore& m_core;
    unsigned m_spin;
    std::vector<std::unique_ptr<Worker>> m_workers;
    /// Runnable processes from outside threads: Process* nodes in an MPSC queue; workers consume
    /// it one at a time under m_globalConsumer.
    Mailbox m_global;
    SpinLock m_globalConsumer;
    alignas(64) std::atomic<std::int64_t> m_outsideEnqueued{0};
    alignas(64) std::atomic<int> m_sleepers{0};
    /// Workers spinning for work (see workerLoop); an enqueue wakes a parked worker only when 0.
    std::atomic<int> m_spinning{0};
    /// The parked worker keeping watch over run-next slots (-1: none; -2: one is being woken to).
    std::atomic<int> m_watch{-1};
    std::atomic<bool> m_stopping{false};
};

} // namespace canopy
