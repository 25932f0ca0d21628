#pragma once
#include "runtime/pid.h"
#include <cstdint>

namespace canopy {

/// `{Caller, Tag}`: who is waiting for a call's reply. Pass it to Context::reply() to answer
/// (possibly later, from another handler).
struct From {
    Pid caller;
    std::uint64_t tag = 0;
};

} // namespace canopy
