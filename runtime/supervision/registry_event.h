#pragma once
#include "runtime/pid.h"
#include <any>
#include <string>

namespace canopy {

/// What a registry listener receives: `{:register, R, key, pid, value}` or
/// `{:unregister, R, key, pid}` (nothing when an owner simply exits).
struct RegistryEvent {
    enum class Kind : unsigned char { Register, Unregister };
    Kind kind = Kind::Register;
    std::string registry;
    std::string key;
    Pid pid;
    /// The registered value (Register only).
    std::any value;
};

} // namespace canopy
