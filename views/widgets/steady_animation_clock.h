#pragma once
#include "views/widgets/animation_clock.h"

#include <QElapsedTimer>

namespace canopy::views {

/// The real animation clock: monotonic milliseconds since construction (QElapsedTimer).
class SteadyAnimationClock final : public AnimationClock {
public:
    /// Starts counting at 0.
    SteadyAnimationClock();
    /// Milliseconds since construction.
    qint64 nowMs() const override;
    /// Always true.
    bool advancesByItself() const override { return true; }

private:
    QElapsedTimer m_timer;
};

} // namespace canopy::views
