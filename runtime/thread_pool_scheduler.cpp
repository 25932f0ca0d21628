#include "runtime/thread_pool_scheduler.h"
#include "runtime/process.h"
#include "runtime/runtime_core.h"
#include "runtime/futex.h"
#include <chrono>
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
} // namespace

ThreadPoolScheduler::ThreadPoolScheduler(RuntimeCore& core, unsigned workers, unsigned spinBeforePark)
    : m_core(core), m_spin(spinBeforePark) {
    for (unsigned i = 0; i < workers; ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        m_workers.back()->index = i;
    }
}

ThreadPoolScheduler::~ThreadPoolScheduler() { stop(); }

void ThreadPoolScheduler::start() {
    for (unsigned i = 0; i < m_workers.size(); ++i)
        m_workers[i]->thread = std::thread([this, i] { workerLoop(i); });
}

void ThreadPoolScheduler::stop() {
    if (m_stopping.exchange(true)) {
        // already stopping; still join below if needed
    }
    for (auto& w : m_workers) {
        w->parked.store(0, std::memory_order_seq_cst);
        Futex::wakeOne(w->parked);
    }
    for (auto& w : m_workers)
        if (w->thread.joinable()) w->thread.join();
    for (auto& w : m_workers) w->wheel.clear();
}

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

void ThreadPoolScheduler::enqueue(Process* p) {
    m_active.fetch_add(1, std::memory_order_acq_rel);
    if (tlsScheduler == this && tlsWorker) {
        Worker& w = *static_cast<Worker*>(tlsWorker);
        Process* prev = w.runNext;
        w.runNext = p;
        if (!prev) return;
        {
            std::lock_guard g(w.mutex);
            w.queue.push_back(prev);
        }
        m_queued.fetch_add(1, std::memory_order_seq_cst);
    } else {
        {
            std::lock_guard g(m_globalMutex);
            m_global.push_back(p);
        }
        m_queued.fetch_add(1, std::memory_order_seq_cst);
    }
    if (m_sleepers.load(std::memory_order_seq_cst) > 0) wakeOne();
}

void ThreadPoolScheduler::yield(Process* p) { queueBehind(p, true); }

void ThreadPoolScheduler::enqueueBackground(Process* p) {
    // On a worker: no wake-up — this worker reaches its local queue within a run-next streak, or a
    // spinning worker steals it sooner. Elsewhere no worker would come by: wake one.
    queueBehind(p, !(tlsScheduler == this && tlsWorker));
}

void ThreadPoolScheduler::queueBehind(Process* p, bool wake) {
    m_active.fetch_add(1, std::memory_order_acq_rel);
    if (tlsScheduler == this && tlsWorker) {
        Worker& w = *static_cast<Worker*>(tlsWorker);
        std::lock_guard g(w.mutex);
        w.queue.push_back(p);
    } else {
        std::lock_guard g(m_globalMutex);
        m_global.push_back(p);
    }
    m_queued.fetch_add(1, std::memory_order_seq_cst);
    if (wake && m_sleepers.load(std::memory_order_seq_cst) > 0) wakeOne();
}

Process* ThreadPoolScheduler::popGlobal() {
    std::lock_guard g(m_globalMutex);
    if (m_global.empty()) return nullptr;
    Process* p = m_global.front();
    m_global.pop_front();
    m_queued.fetch_sub(1, std::memory_order_relaxed);
    return p;
}

void ThreadPoolScheduler::wakeOne() {
    for (auto& w : m_workers) {
        if (w->parked.load(std::memory_order_relaxed) == 1 && w->parked.exchange(0) == 1) {
            Futex::wakeOne(w->parked);
            return;
        }
    }
}

Process* ThreadPoolScheduler::findWork(Worker& self, unsigned index) {
    // Now and then look at the global queue first so outside senders are never starved.
    if (++self.tick % 61 == 0 && m_queued.load(std::memory_order_relaxed) > 0)
        if (Process* p = popGlobal()) return p;
    if (self.runNext && self.runNextStreak < 32) {
        ++self.runNextStreak;
        return std::exchange(self.runNext, nullptr);
    }
    self.runNextStreak = 0;
    if (m_queued.load(std::memory_order_relaxed) > 0) {
        {
            std::lock_guard g(self.mutex);
            if (!self.queue.empty()) {
                Process* p = self.queue.front();
                self.queue.pop_front();
                m_queued.fetch_sub(1, std::memory_order_relaxed);
                return p;
            }
        }
    }
    if (m_queued.load(std::memory_order_acquire) > 0)
        if (Process* p = popGlobal()) return p;
    if (self.runNext) return std::exchange(self.runNext, nullptr);
    if (m_queued.load(std::memory_order_acquire) <= 0) return nullptr;
    std::size_t n = m_workers.size();
    for (std::size_t k = 1; k < n; ++k) {
        Worker& victim = *m_workers[(index + k) % n];
        std::unique_lock g(victim.mutex, std::try_to_lock);
        if (!g.owns_lock() || victim.queue.empty()) continue;
        Process* p = victim.queue.front();
        victim.queue.pop_front();
        m_queued.fetch_sub(1, std::memory_order_relaxed);
        return p;
    }
    return nullptr;
}

void ThreadPoolScheduler::workerLoop(unsigned index) {
    Worker& self = *m_workers[index];
    tlsScheduler = this;
    tlsWorker = &self;
    m_core.bindWorkerThread(index);
    unsigned idle = 0;
    while (!m_stopping.load(std::memory_order_relaxed)) {
        Process* p = findWork(self, index);
        if (p) {
            idle = 0;
            m_core.runTurn(p);
            m_active.fetch_sub(1, std::memory_order_acq_rel);
            // Timers: a look at the clock every 32 turns, only while the wheel holds any.
            if (++self.turnsSinceTimers >= 32) {
                self.turnsSinceTimers = 0;
                if (self.wheel.pending()) fireTimers(self, m_core.nowNs());
            }
            continue;
        }
        if (idle % 64 == 0) {
            const std::int64_t now = m_core.nowNs();
            if (fireTimers(self, now) | fireOverdueTimers(index, now)) {
                idle = 0;
                continue;
            }
        }
        if (++idle < m_spin) {
            cpuRelax();
            continue;
        }
        // Park: announce, re-check, then wait until woken.
        self.parked.store(1, std::memory_order_seq_cst);
        m_sleepers.fetch_add(1, std::memory_order_seq_cst);
        p = m_queued.load(std::memory_order_seq_cst) > 0 ? findWork(self, index) : nullptr;
        if (p || m_stopping.load()) {
            self.parked.store(0, std::memory_order_relaxed);
            m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
            if (p) {
                idle = 0;
                m_core.runTurn(p);
                m_active.fetch_sub(1, std::memory_order_acq_rel);
            }
            continue;
        }
        // Sleep until woken, or until this worker's next timer event.
        while (self.parked.load(std::memory_order_seq_cst) == 1 && !m_stopping.load()) {
            const std::int64_t next = self.wheel.nextEventNs();
            if (next == TimerWheel::Never) {
                Futex::wait(self.parked, 1);
                continue;
            }
            const std::int64_t left = next - m_core.nowNs();
            if (left <= 0) break;
            if (!Futex::waitUntil(self.parked, 1, std::chrono::steady_clock::now() + std::chrono::nanoseconds(left))) break;
        }
        self.parked.store(0, std::memory_order_seq_cst); // (already 0 unless a timer ended the sleep)
        m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
        idle = 0;
    }
    // Hand back what is still queued locally so the core can drain it.
    std::lock_guard g(m_globalMutex);
    if (self.runNext) m_global.push_back(std::exchange(self.runNext, nullptr));
    std::lock_guard g2(self.mutex);
    for (Process* p : self.queue) m_global.push_back(p);
    self.queue.clear();
}

Process* ThreadPoolScheduler::takeAny() {
    std::lock_guard g(m_globalMutex);
    if (!m_global.empty()) {
        Process* p = m_global.front();
        m_global.pop_front();
        return p;
    }
    for (auto& w : m_workers) {
        std::lock_guard g2(w->mutex);
        if (!w->queue.empty()) {
            Process* p = w->queue.front();
            w->queue.pop_front();
            return p;
        }
    }
    return nullptr;
}

} // namespace canopy
