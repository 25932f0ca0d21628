#pragma once
#include "runtime/supervision/strategy.h"
#include <any>
#include <vector>

namespace canopy {

/// DynamicSupervisor's options (Elixir 1.14 defaults).
struct DynamicSupervisorOptions {
    /// Must be one_for_one (else `{error,{supervisor_data,{invalid_strategy,X}}}`).
    Strategy strategy = Strategy::OneForOne;
    /// Intensity (default 3).
    int maxRestarts = 3;
    /// Period in seconds (default 5).
    int maxSeconds = 5;
    /// max_children: start_child beyond it returns `{error,max_children}` (< 0 = infinity, the default).
    int maxChildren = -1;
    /// extra_arguments, handed (prepended, in OTP) to each child's ChildSpec::startWithExtra.
    std::vector<std::any> extraArguments;
};

} // namespace canopy
