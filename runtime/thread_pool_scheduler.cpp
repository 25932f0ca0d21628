#include "runtime/thread_pool_scheduler.h"
#include "runtime/futex.h"
#include "runtime/process.h"
#include "runtime/runtime_core.h"
#include <chrono>
#include <mutex>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace canopy {

namespace {
thread_local ThreadPoolScheduler* tlsScheduler = nullptr;
thread_local void* tlsWorker = nullptr;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

/// A runnable process travelling through the global queue, and a batch of them (taken from the
/// front, `next` onwards).
using GlobalNode = TypedMessageNode<Process*>;
struct GlobalBatch {
    std::vector<Process*> items;
    std::size_t next = 0;
};
using GlobalBatchNode = TypedMessageNode<GlobalBatch>;

/// Plain read-modify-write of a counter only its owner writes (no locked instruction).
inline void bump(std::atomic<std::int64_t>& c) { c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
} // namespace

ThreadPoolScheduler::ThreadPoolScheduler(RuntimeCore& core, unsigned workers, unsigned spinBeforePark)
    : m_core(core), m_spin(spinBeforePark) {
    for (unsigned i = 0; i < workers; ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        m_workers.back()->index = i;
        m_workers.back()->seen.resize(workers);
    }
}

ThreadPoolScheduler::~ThreadPoolScheduler() { stop(); }

void ThreadPoolScheduler::start() {
    for (unsigned i = 0; i < m_workers.size(); ++i)
        m_workers[i]->thread = std::thread([this, i] { workerLoop(i); });
}

void ThreadPoolScheduler::stop() {
    m_stopping.store(true);
    for (auto& w : m_workers) {
        w->parked.store(0, std::memory_order_seq_cst);
        Futex::wakeOne(w->parked);
    }
    for (auto& w : m_workers)
        if (w->thread.joinable()) w->thread.join();
    for (auto& w : m_workers) w->wheel.clear();
}

// ---------------------------------------------------------------- timers

TimerWheel* ThreadPoolScheduler::localWheel(unsigned* index) {
    if (tlsScheduler != this || !tlsWorker) return nullptr;
    Worker& w = *static_cast<Worker*>(tlsWorker);
    *index = w.index;
    return &w.wheel;
}

TimerWheel* ThreadPoolScheduler::wheel(unsigned index) {
    return index < m_workers.size() ? &m_workers[index]->wheel : nullptr;
}

std::int64_t ThreadPoolScheduler::nextWheelEventNs() const {
    std::int64_t next = TimerWheel::Never;
    for (const auto& w : m_workers) next = std::min(next, w->wheel.nextEventNs());
    return next;
}

bool ThreadPoolScheduler::fireTimers(Worker& w, std::int64_t nowNs) {
    if (w.wheel.nextEventNs() > nowNs) return false;
    // The scratch vector belongs to the wheel's own worker; a thief collects into its own.
    std::vector<TimerWheel::Due> local;
    std::vector<TimerWheel::Due>& due = (tlsWorker == &w) ? w.due : local;
    due.clear();
    w.wheel.collectDue(nowNs, due);
    for (TimerWheel::Due& d : due) {
        if (d.to.valid()) m_core.deliver(d.to.process(), d.msg);
        else delete d.msg;
    }
    const bool any = !due.empty();
    due.clear();
    return any;
}

bool ThreadPoolScheduler::fireOverdueTimers(unsigned self, std::int64_t nowNs) {
    constexpr std::int64_t GraceNs = 2'000'000;
    bool any = false;
    for (auto& w : m_workers)
        if (w->index != self && w->wheel.nextEventNs() <= nowNs - GraceNs) any |= fireTimers(*w, nowNs);
    return any;
}

// ---------------------------------------------------------------- enqueue

void ThreadPoolScheduler::countEnqueue(Worker* w) {
    if (w) bump(w->enqueued);
    else m_outsideEnqueued.fetch_add(1, std::memory_order_acq_rel);
}

void ThreadPoolScheduler::pushGlobal(Process* p) {
    m_global.push(new GlobalNode(p));
}

void ThreadPoolScheduler::pushGlobal(std::vector<Process*> batch) {
    if (!batch.empty()) m_global.push(new GlobalBatchNode(GlobalBatch{std::move(batch), 0}));
}

void ThreadPoolScheduler::pushLocal(Worker& w, Process* p) {
    while (!w.queue.push(p)) {
        // Full: half of it (the older half) goes to the global queue, where any worker finds it.
        std::vector<Process*> half(RunQueue::Capacity / 2);
        if (!w.queue.takeHalf(half.data())) continue;
        pushGlobal(std::move(half));
    }
}

void ThreadPoolScheduler::enqueue(Process* p) {
    if (tlsScheduler == this && tlsWorker) {
        Worker& w = *static_cast<Worker*>(tlsWorker);
        bump(w.enqueued);
        // Into an empty run-next slot: a plain store (thieves only ever empty it) and no wake-up,
        // this worker runs it next.
        if (!w.runNext.load(std::memory_order_relaxed)) {
            w.runNext.store(p, std::memory_order_release);
            return;
        }
        Process* prev = w.runNext.exchange(p, std::memory_order_acq_rel);
        if (!prev) return; // stolen meanwhile
        pushLocal(w, prev);
    } else {
        m_outsideEnqueued.fetch_add(1, std::memory_order_acq_rel);
        pushGlobal(p);
    }
    // Queued work left behind: wake a parked worker unless one is spinning already (it finds the
    // work; see workerLoop). The fence orders the push before the checks, against a spinner's
    // stop-then-recheck and a parking worker's announce-then-recheck.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (noSpinnerButSleepers()) wakeOne();
}

void ThreadPoolScheduler::yield(Process* p) { queueBehind(p, true); }

void ThreadPoolScheduler::enqueueBackground(Process* p) {
    // On a worker: no wake-up — this worker reaches its local queue within a run-next streak, or a
    // spinning worker steals it sooner. Elsewhere no worker would come by: wake one.
    queueBehind(p, !(tlsScheduler == this && tlsWorker));
}

void ThreadPoolScheduler::queueBehind(Process* p, bool wake) {
    if (tlsScheduler == this && tlsWorker) {
        Worker& w = *static_cast<Worker*>(tlsWorker);
        bump(w.enqueued);
        pushLocal(w, p);
    } else {
        m_outsideEnqueued.fetch_add(1, std::memory_order_acq_rel);
        pushGlobal(p);
    }
    if (!wake) return;
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (noSpinnerButSleepers()) wakeOne();
}

bool ThreadPoolScheduler::noSpinnerButSleepers() const {
    if (m_sleepers.load(std::memory_order_seq_cst) == 0) return false;
    // A spinner finds the work; but while nobody keeps watch (see park), wake anyway: the spinner
    // may take it and then hog its worker with nobody parked on a grace period to take over.
    return m_spinning.load(std::memory_order_seq_cst) == 0 || m_watch.load(std::memory_order_seq_cst) == -1;
}

bool ThreadPoolScheduler::workQueued() const {
    if (globalMaybeNonEmpty()) return true;
    for (const auto& w : m_workers)
        if (w->queue.size() > 0) return true;
    return false;
}

void ThreadPoolScheduler::wakeOne() {
    Worker* woken = nullptr;
    for (auto& w : m_workers)
        if (w->parked.load(std::memory_order_relaxed) == 1 && w->parked.exchange(0) == 1) {
            Futex::wakeOne(w->parked);
            woken = w.get();
            break;
        }
    if (!woken || m_watch.load(std::memory_order_relaxed) != -1) return;
    // The worker just woken is about to be busy; if the others sleep unwatched (they parked while
    // nobody was busy), wake one more to park again as the watch — on the waker's time, not the
    // woken worker's. (-2 marks a watch being woken, so a burst of wake-ups wakes one, not all.)
    int none = -1;
    if (!m_watch.compare_exchange_strong(none, -2, std::memory_order_acq_rel)) return;
    for (auto& w : m_workers)
        if (w.get() != woken && w->parked.load(std::memory_order_relaxed) == 1 && w->parked.exchange(0) == 1) {
            Futex::wakeOne(w->parked);
            return;
        }
    int pending = -2;
    m_watch.compare_exchange_strong(pending, -1, std::memory_order_acq_rel); // nobody left to watch
}

void ThreadPoolScheduler::ensureWatch(Worker& self) {
    if (m_watch.load(std::memory_order_acquire) != -1 || m_sleepers.load(std::memory_order_acquire) == 0) return;
    int none = -1;
    if (!m_watch.compare_exchange_strong(none, -2, std::memory_order_acq_rel)) return;
    for (auto& w : m_workers)
        if (w.get() != &self && w->parked.load(std::memory_order_relaxed) == 1 && w->parked.exchange(0) == 1) {
            Futex::wakeOne(w->parked);
            return;
        }
    int pending = -2;
    m_watch.compare_exchange_strong(pending, -1, std::memory_order_acq_rel); // nobody parked
}

std::int64_t ThreadPoolScheduler::activeCount() const {
    // Finished counts first: every turn counted there had its enqueue counted before, so the
    // difference never reads 0 while a process counted as enqueued is still queued or running.
    std::int64_t finished = 0, enqueued = 0;
    for (const auto& w : m_workers) finished += w->finished.load(std::memory_order_acquire);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    enqueued = m_outsideEnqueued.load(std::memory_order_acquire);
    for (const auto& w : m_workers) enqueued += w->enqueued.load(std::memory_order_acquire);
    return enqueued - finished;
}

// ---------------------------------------------------------------- finding work

Process* ThreadPoolScheduler::popGlobal(Worker* self) {
    if (!globalMaybeNonEmpty()) return nullptr;
    std::unique_lock g(m_globalConsumer, std::try_to_lock);
    if (!g.owns_lock()) return nullptr;
    // Take single entries up to a quarter of the local queue's room, or one batch as far as it
    // fits (the rest of it goes back, behind what is queued).
    Process* run = nullptr;
    std::uint32_t room = RunQueue::Capacity - self->queue.size();
    std::uint32_t singles = room / 4;
    Mailbox::PopState st;
    while (singles > 0) {
        MessageNode* n = m_global.pop(st);
        if (!n) break;
        if (n->type == typeTag<Process*>()) {
            Process* p = static_cast<GlobalNode*>(n)->value;
            delete n;
            if (!run) run = p;
            else self->queue.push(p); // room was reserved: cannot fail
            --singles;
            --room;
            continue;
        }
        GlobalBatch& b = static_cast<GlobalBatchNode*>(n)->value;
        if (!run) run = b.items[b.next++];
        for (; b.next < b.items.size() && room > 0; ++b.next, --room) self->queue.push(b.items[b.next]);
        if (b.next < b.items.size()) m_global.push(n); // the rest, as it is
        else delete n;
        break;
    }
    return run;
}

Process* ThreadPoolScheduler::findWork(Worker& self, bool stealRunNext, std::int64_t nowNs) {
    // Now and then look at the global queue first so outside senders are never starved.
    if (++self.tick % 61 == 0)
        if (Process* p = popGlobal(&self)) return p;
    if (self.runNextStreak < 32) {
        if (Process* p = self.runNext.load(std::memory_order_relaxed)) {
            if (self.runNext.compare_exchange_strong(p, nullptr, std::memory_order_acquire, std::memory_order_relaxed)) {
                ++self.runNextStreak;
                return p;
            }
        }
    }
    self.runNextStreak = 0;
    if (Process* p = self.queue.pop()) return p;
    if (Process* p = popGlobal(&self)) return p;
    if (Process* p = self.runNext.exchange(nullptr, std::memory_order_acquire)) return p;
    // Steal: half of another worker's queue; with stealRunNext also the run-next occupant of a
    // worker that has made no progress for a grace period.
    const std::size_t n = m_workers.size();
    for (std::size_t k = 1; k < n; ++k) {
        Worker& victim = *m_workers[(self.index + k) % n];
        if (Process* p = victim.queue.stealInto(self.queue)) return p;
        if (stealRunNext && stuck(self, victim, nowNs))
            if (Process* p = victim.runNext.load(std::memory_order_acquire))
                if (victim.runNext.compare_exchange_strong(p, nullptr, std::memory_order_acquire, std::memory_order_relaxed))
                    return p;
    }
    return nullptr;
}

bool ThreadPoolScheduler::stuck(Worker& self, Worker& victim, std::int64_t nowNs) {
    Worker::Seen& seen = self.seen[victim.index];
    const std::int64_t progress = victim.finished.load(std::memory_order_acquire);
    if (progress != seen.progress || victim.parked.load(std::memory_order_relaxed) != 0) {
        seen = {progress, nowNs};
        return false;
    }
    return nowNs - seen.sinceNs >= RunNextGraceNs;
}

Process* ThreadPoolScheduler::stealFromStuck(Worker& self, std::int64_t nowNs) {
    const std::size_t n = m_workers.size();
    for (std::size_t k = 1; k < n; ++k) {
        Worker& victim = *m_workers[(self.index + k) % n];
        if (!stuck(self, victim, nowNs)) continue;
        if (Process* p = victim.runNext.load(std::memory_order_acquire))
            if (victim.runNext.compare_exchange_strong(p, nullptr, std::memory_order_acquire, std::memory_order_relaxed))
                return p;
        if (Process* p = victim.queue.stealInto(self.queue)) return p;
    }
    return nullptr;
}

bool ThreadPoolScheduler::othersBusy(unsigned self) const {
    for (const auto& w : m_workers)
        if (w->index != self && w->parked.load(std::memory_order_relaxed) == 0) return true;
    return false;
}

ThreadPoolScheduler::Wake ThreadPoolScheduler::park(Worker& self) {
    // One parked worker keeps watch over the busy workers' run-next slots: it sleeps a grace
    // period at a time.
    int free = m_watch.load(std::memory_order_acquire);
    const bool watching = free < 0 && othersBusy(self.index) &&
                          m_watch.compare_exchange_strong(free, int(self.index), std::memory_order_acq_rel);
    // Not watching: a "watch being woken" mark (-2) left by wakeOne must not outlive this park —
    // the worker woken for it may have parked again with nobody busy, and a stale mark would stop
    // every later wakeOne from waking a watch (a worker then hogged by a long handler would have
    // its run-next and overdue timers stranded).
    if (!watching) {
        int pending = -2;
        m_watch.compare_exchange_strong(pending, -1, std::memory_order_acq_rel);
    }
    Wake why = Wake::Woken;
    while (self.parked.load(std::memory_order_seq_cst) == 1 && !m_stopping.load()) {
        const std::int64_t timer = self.wheel.nextEventNs();
        const std::int64_t now = m_core.nowNs();
        const std::int64_t watch = watching ? now + RunNextGraceNs : TimerWheel::Never;
        const std::int64_t next = std::min(timer, watch);
        if (next == TimerWheel::Never) {
            Futex::wait(self.parked, 1);
            continue;
        }
        const std::int64_t left = next - now;
        if (left <= 0 || !Futex::waitUntil(self.parked, 1, std::chrono::steady_clock::now() + std::chrono::nanoseconds(left))) {
            why = timer <= watch ? Wake::Timer : Wake::Watch;
            break;
        }
    }
    if (watching) m_watch.store(-1, std::memory_order_release);
    // Un-announce; if a waker cleared the flag meanwhile, it woke this worker: treat it so.
    if (self.parked.exchange(0, std::memory_order_seq_cst) == 0) why = Wake::Woken;
    return why;
}

void ThreadPoolScheduler::workerLoop(unsigned index) {
    Worker& self = *m_workers[index];
    tlsScheduler = this;
    tlsWorker = &self;
    m_core.bindWorkerThread(index);
    unsigned idle = 0;
    std::int64_t now = m_core.nowNs();
    // Spinning = looking for work (counted in m_spinning: enqueuers wake a parked worker only when
    // nobody spins). The last spinner to find work hands the search on: if more is queued, it wakes
    // a parked worker (seq_cst: a push an enqueuer made while it still counted is seen here).
    bool spinning = false;
    auto stopSpinning = [&](bool handOn) {
        if (!spinning) return;
        spinning = false;
        if (m_spinning.fetch_sub(1, std::memory_order_seq_cst) == 1 && handOn && workQueued() &&
            m_sleepers.load(std::memory_order_seq_cst) > 0)
            wakeOne();
    };
    auto run = [&](Process* p) {
        m_core.runTurn(p);
        bump(self.finished);
    };
    while (!m_stopping.load(std::memory_order_relaxed)) {
        // Idle: every 256th round (some µs) reads the clock and looks for a stale run-next
        // occupant — rarely, so a spinning worker does not keep pulling the busy worker's lines.
        const bool check = idle % 256 == 1;
        if (check) now = m_core.nowNs();
        if (Process* p = findWork(self, check, now)) {
            const bool wasIdle = idle != 0;
            idle = 0;
            stopSpinning(true);
            if (wasIdle) ensureWatch(self);
            run(p);
            // Timers: a look at the clock every 32 turns, only while the wheel holds any.
            if (++self.turnsSinceTimers >= 32) {
                self.turnsSinceTimers = 0;
                if (self.wheel.pending()) fireTimers(self, m_core.nowNs());
            }
            continue;
        }
        if (idle % 64 == 0) {
            now = m_core.nowNs();
            if (fireTimers(self, now) | fireOverdueTimers(index, now)) {
                idle = 0;
                stopSpinning(true);
                continue;
            }
        }
        if (!spinning) {
            spinning = true;
            m_spinning.fetch_add(1, std::memory_order_seq_cst);
        }
        if (++idle < m_spin) {
            cpuRelax();
            continue;
        }
        // Park: stop spinning, announce, re-check, then sleep until woken.
        stopSpinning(false);
        self.parked.store(1, std::memory_order_seq_cst);
        m_sleepers.fetch_add(1, std::memory_order_seq_cst);
        now = m_core.nowNs();
        Process* p = findWork(self, true, now);
        if (p || m_stopping.load()) {
            self.parked.store(0, std::memory_order_relaxed);
            m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
            if (p) {
                idle = 0;
                run(p);
            }
            continue;
        }
        Wake why = park(self);
        // The watch's rounds take only from stuck workers (a busy worker's fresh queue is its own
        // business: a background consumer queued there should batch on that core), then park again.
        Process* stolen = nullptr;
        while (why == Wake::Watch && !m_stopping.load()) {
            now = m_core.nowNs();
            if (fireOverdueTimers(index, now)) break; // what they woke is in this worker's run-next
            if ((stolen = stealFromStuck(self, now))) break;
            self.parked.store(1, std::memory_order_seq_cst);
            if (globalMaybeNonEmpty()) {
                self.parked.store(0, std::memory_order_seq_cst);
                break;
            }
            why = park(self);
        }
        m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
        if (stolen) {
            idle = 0;
            run(stolen);
            continue;
        }
        idle = 1; // look right away, then spin again
    }
    stopSpinning(false);
    // Hand back what is still queued locally so the core can drain it.
    if (Process* p = self.runNext.exchange(nullptr)) pushGlobal(p);
    while (Process* p = self.queue.pop()) pushGlobal(p);
}

Process* ThreadPoolScheduler::takeAny() {
    // Shutdown drain (workers have stopped): global queue first, then what workers still hold.
    {
        std::lock_guard g(m_globalConsumer);
        Mailbox::PopState st;
        if (MessageNode* n = m_global.pop(st)) {
            if (n->type == typeTag<Process*>()) {
                Process* p = static_cast<GlobalNode*>(n)->value;
                delete n;
                return p;
            }
            GlobalBatch& b = static_cast<GlobalBatchNode*>(n)->value;
            Process* p = b.items[b.next++];
            if (b.next < b.items.size()) m_global.push(n);
            else delete n;
            return p;
        }
    }
    for (auto& w : m_workers) {
        if (Process* p = w->runNext.exchange(nullptr)) return p;
        if (Process* p = w->queue.pop()) return p;
    }
    return nullptr;
}

} // namespace canopy
