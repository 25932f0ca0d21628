#pragma once
#include <string_view>

namespace canopy {

/// When a supervisor restarts a child that exited (OTP's restart type). Default: Permanent.
enum class Restart : unsigned char {
    Permanent, ///< always restarted, even after a `normal` exit
    Transient, ///< restarted only after an abnormal exit (not normal / shutdown / {shutdown,_})
    Temporary, ///< never restarted; its spec is deleted when it exits
};

/// `permanent`, `transient` or `temporary`.
inline std::string_view toString(Restart r) {
    switch (r) {
    case Restart::Transient: return "transient";
    case Restart::Temporary: return "temporary";
    default: return "permanent";
    }
}

} // namespace canopy
