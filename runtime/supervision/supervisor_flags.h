#pragma once
#include "runtime/supervision/auto_shutdown.h"
#include "runtime/supervision/strategy.h"

namespace canopy {

/// A supervisor's flags. Defaults are Elixir's (3 restarts in 5 s); Erlang's `#{}` would be 1 in 5.
/// More than maxRestarts restarts within maxSeconds (whole, floored seconds of the runtime's clock)
/// make the supervisor terminate all children and exit `shutdown`.
struct SupervisorFlags {
    /// Restart strategy (default one_for_one).
    Strategy strategy = Strategy::OneForOne;
    /// Intensity: restarts allowed in the window, >= 0 (default 3; 0 = the first restart kills).
    int maxRestarts = 3;
    /// Period of the window in seconds, > 0 (default 5).
    int maxSeconds = 5;
    /// auto_shutdown (default never).
    AutoShutdown autoShutdown = AutoShutdown::Never;
};

} // namespace canopy
