#pragma once
#include <string_view>

namespace canopy {

/// The error atoms of the supervisor API (OTP's names).
enum class SupervisorError : unsigned char {
    None,           ///< no error
    NotFound,       ///< `not_found`: no child with that id (or pid)
    Running,        ///< `running`: restart_child/delete_child on a running child
    Restarting,     ///< `restarting`: the child is between failed restart attempts
    AlreadyStarted, ///< `{already_started,Pid}`: start_child with the id of a running child
    AlreadyPresent, ///< `already_present`: start_child with the id of a stopped child
    MaxChildren,    ///< `max_children`: DynamicSupervisor at its max_children
    StartFailed,    ///< `{error,R}` from the start function / the child's init (reason in ChildResult)
    InvalidSpec,    ///< a child spec validation error (`missing_id`, `{invalid_shutdown,X}`, ...)
    SimpleOneForOne,///< not applicable to this supervisor kind
    CallFailed,     ///< the supervisor could not be called (dead: `noproc`, or a timeout)
};

/// The atom: `not_found`, `running`, `restarting`, `already_started`, `already_present`,
/// `max_children`, `start_failed`, `invalid_spec`, `simple_one_for_one`, `call_failed` ("" for None).
inline std::string_view toString(SupervisorError e) {
    switch (e) {
    case SupervisorError::NotFound: return "not_found";
    case SupervisorError::Running: return "running";
    case SupervisorError::Restarting: return "restarting";
    case SupervisorError::AlreadyStarted: return "already_started";
    case SupervisorError::AlreadyPresent: return "already_present";
    case SupervisorError::MaxChildren: return "max_children";
    case SupervisorError::StartFailed: return "start_failed";
    case SupervisorError::InvalidSpec: return "invalid_spec";
    case SupervisorError::SimpleOneForOne: return "simple_one_for_one";
    case SupervisorError::CallFailed: return "call_failed";
    default: return "";
    }
}

} // namespace canopy
