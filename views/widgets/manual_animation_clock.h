#pragma once
#include "views/widgets/animation_clock.h"

#include <algorithm>

namespace canopy::views {

/// An animation clock that only moves when told to (tests, deterministic screenshots).
class ManualAnimationClock final : public AnimationClock {
public:
    /// Starts at `startMs`.
    explicit ManualAnimationClock(qint64 startMs = 1000) : m_nowMs(startMs) {}
    /// The time last set.
    qint64 nowMs() const override { return m_nowMs; }
    /// Always false: nothing repaints by itself.
    bool advancesByItself() const override { return false; }
    /// Sets the time; a time before the current one is ignored (the clock is monotonic).
    void setNowMs(qint64 ms) { m_nowMs = std::max(m_nowMs, ms); }
    /// Moves the time forward by `ms` (negative values are ignored).
    void advance(qint64 ms) { m_nowMs += std::max<qint64>(0, ms); }

private:
    qint64 m_nowMs;
};

} // namespace canopy::views
