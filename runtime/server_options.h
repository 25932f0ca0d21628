#pragma once
#include "runtime/child_meta.h"
#include "runtime/pid.h"
#include <memory>
#include <string>

namespace canopy {

/// How to start a server (gen_server:start_link options).
struct ServerOptions {
    /// Local name to register ("" = none). Taken → `{error,{already_started,Pid}}`.
    std::string name;
    /// Supervision metadata (set by supervisors).
    std::shared_ptr<const ChildMeta> meta;
    /// Parent shown to observers and treated as the parent for `{'EXIT',Parent,R}` (default: caller).
    Pid parent;
};

} // namespace canopy
