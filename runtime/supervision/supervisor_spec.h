#pragma once
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/supervisor_flags.h"
#include <vector>

namespace canopy {

/// What a supervisor's init returns: `{ok,{Flags,ChildSpecs}}`. Children start in this order and
/// stop in reverse order.
struct SupervisorSpec {
    /// The flags (Elixir defaults: one_for_one, 3 restarts in 5 s, auto_shutdown never).
    SupervisorFlags flags;
    /// Child specs in start order.
    std::vector<ChildSpec> children;
};

} // namespace canopy
