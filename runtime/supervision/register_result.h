#pragma once
#include "runtime/pid.h"

namespace canopy {

/// Registry.register/3: `{:ok, partition_pid}`, `{:error, {:already_registered, owner}}`, or an
/// unknown registry (Elixir raises ArgumentError).
struct RegisterResult {
    enum class Kind : unsigned char { Ok, AlreadyRegistered, UnknownRegistry };
    Kind kind = Kind::UnknownRegistry;
    /// Ok: the partition the caller is now linked to; AlreadyRegistered: the live owner.
    Pid pid;
    bool ok() const { return kind == Kind::Ok; }
};

} // namespace canopy
