#include "views/widgets/steady_animation_clock.h"

namespace canopy::views {

SteadyAnimationClock::SteadyAnimationClock() { m_timer.start(); }

qint64 SteadyAnimationClock::nowMs() const { return m_timer.elapsed(); }

} // namespace canopy::views
