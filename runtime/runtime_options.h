#pragma once
#include "runtime/clock.h"
#include <memory>

namespace canopy {

/// How a Runtime runs.
struct RuntimeOptions {
    /// Worker threads for the M:N scheduler (0 = one per core).
    unsigned workers = 0;
    /// Deterministic test mode: no threads; processes run only inside runUntilIdle() and time moves
    /// only through advanceClock() (a ManualClock is created unless `clock` is given).
    bool manual = false;
    /// The clock (default: SteadyClock, or ManualClock in manual mode).
    std::shared_ptr<Clock> clock;
    /// Fairness budget: messages a process handles per turn before it yields its thread.
    unsigned budget = 64;
    /// Spin iterations an idle worker makes before it parks (futex wait).
    unsigned spinBeforePark = 2000;
};

} // namespace canopy
