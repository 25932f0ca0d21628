#pragma once
#include "runtime/clock.h"
#include <atomic>

namespace canopy {

/// A clock that moves only when told (deterministic tests). Advance it through
/// Runtime::advanceClock() so due timers fire.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startNs = 1'000'000'000) : m_now(startNs) {}
    std::int64_t nowNs() const override { return m_now.load(std::memory_order_acquire); }
    /// Moves time forward (never backwards).
    void advanceNs(std::int64_t ns) { m_now.fetch_add(ns, std::memory_order_acq_rel); }
    void setNs(std::int64_t ns) { m_now.store(ns, std::memory_order_release); }

private:
    std::atomic<std::int64_t> m_now;
};

} // namespace canopy
