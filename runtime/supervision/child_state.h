#pragma once
#include <string_view>

namespace canopy {

/// What which_children shows in a child's pid position.
enum class ChildState : unsigned char {
    Running,    ///< a pid
    Undefined,  ///< `undefined`: not running (ignored, transient that exited normally, terminated)
    Restarting, ///< `restarting`: a restart failed and is being retried
};

/// `running`, `undefined` or `restarting`.
inline std::string_view toString(ChildState s) {
    switch (s) {
    case ChildState::Undefined: return "undefined";
    case ChildState::Restarting: return "restarting";
    default: return "running";
    }
}

} // namespace canopy
