#pragma once
#include "runtime/process_kind.h"
#include "runtime/spin_lock.h"
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace canopy {

/// How a process sits in the supervision tree, published once (immutable afterwards, except the
/// atomic counter) so observers can read it from any thread.
struct ChildMeta {
    ChildMeta() = default;
    /// Copies every field (the counter's current value included), e.g. to extend a parent's meta.
    ChildMeta(const ChildMeta& o)
        : childId(o.childId), kind(o.kind), restart(o.restart), shutdown(o.shutdown),
          significant(o.significant), strategy(o.strategy), maxRestarts(o.maxRestarts),
          maxSeconds(o.maxSeconds), restartsInWindow(o.restartsInWindow.load(std::memory_order_relaxed)),
          m_restartTimes(o.copyRestartTimes()) {}
    ChildMeta& operator=(const ChildMeta&) = delete;

    /// The child id in its supervisor's spec ("" for dynamic children and plain processes).
    std::string childId;
    ProcessKind kind = ProcessKind::Worker;
    /// "permanent" | "transient" | "temporary" ("" when not supervised).
    std::string restart;
    /// "brutal_kill", "infinity" or milliseconds as text ("" when not supervised).
    std::string shutdown;
    bool significant = false;
    /// For supervisors: "one_for_one" | "one_for_all" | "rest_for_one" (dynamic: "one_for_one").
    std::string strategy;
    int maxRestarts = 0;
    int maxSeconds = 0;
    /// For supervisors: restarts currently counted in the intensity window.
    mutable std::atomic<int> restartsInWindow{0};

    /// For supervisors: the times of the restarts the intensity window counts (OTP's `restarts`:
    /// whole seconds of the runtime clock, oldest first), as of the last restart. Any thread.
    std::vector<std::int64_t> restartTimes() const {
        std::lock_guard lock(m_restartTimesLock);
        return {m_restartTimes.begin(), m_restartTimes.end()};
    }
    /// The supervisor publishes each restart: its stamp joins the window, which then keeps its
    /// newest `inWindow` stamps (stamps leave the intensity window oldest first, so this mirrors it
    /// in O(1) amortised — not a copy of the whole window per restart).
    void recordRestart(std::int64_t stampSeconds, std::size_t inWindow) const {
        std::lock_guard lock(m_restartTimesLock);
        m_restartTimes.push_back(stampSeconds);
        while (m_restartTimes.size() > inWindow) m_restartTimes.pop_front();
    }

private:
    std::deque<std::int64_t> copyRestartTimes() const {
        std::lock_guard lock(m_restartTimesLock);
        return m_restartTimes;
    }
    mutable SpinLock m_restartTimesLock;
    mutable std::deque<std::int64_t> m_restartTimes;
};

} // namespace canopy
