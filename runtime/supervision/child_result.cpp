#include "runtime/supervision/child_result.h"

namespace canopy {

std::string ChildResult::toString() const {
    switch (error) {
    case SupervisorError::None:
        return pid.valid() ? "{ok," + pid.toString() + "}" : std::string("ok");
    case SupervisorError::AlreadyStarted:
        return "{error,{already_started," + pid.toString() + "}}";
    case SupervisorError::StartFailed:
    case SupervisorError::InvalidSpec:
    case SupervisorError::CallFailed:
        return "{error," + reason.toString() + "}";
    default:
        return "{error," + std::string(canopy::toString(error)) + "}";
    }
}

} // namespace canopy
