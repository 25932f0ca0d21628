#pragma once
#include "runtime/pid.h"
#include "runtime/supervision/child_state.h"
#include "runtime/supervision/child_type.h"
#include <string>
#include <vector>

namespace canopy {

/// One which_children entry: `{Id, Pid | undefined | restarting, Type, Modules}`.
/// Static supervisors list children in reverse start order (as OTP); dynamic ones have id "".
struct ChildInfo {
    std::string id;
    /// The pid when state is Running (empty otherwise).
    Pid pid;
    ChildState state = ChildState::Undefined;
    ChildType type = ChildType::Worker;
    std::vector<std::string> modules;
};

} // namespace canopy
