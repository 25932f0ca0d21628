#pragma once
#include <QtGlobal>

namespace canopy::views {

/// The one time source of the tree canvas's animations: what is drawn is a function of the canvas
/// state and this clock's time, so tests set the time (ManualAnimationClock) and check what is drawn.
class AnimationClock {
public:
    virtual ~AnimationClock() = default;
    /// Milliseconds on a monotonic scale with an arbitrary origin; never goes backwards.
    virtual qint64 nowMs() const = 0;
    /// True when time advances by itself: the view runs its repaint timer (only while effects run)
    /// for such clocks; with a manual clock nothing repaints unless asked.
    virtual bool advancesByItself() const = 0;
};

} // namespace canopy::views
