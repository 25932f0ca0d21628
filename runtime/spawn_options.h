#pragma once
#include "runtime/child_meta.h"
#include "runtime/pid.h"
#include <memory>
#include <string>

namespace canopy {

/// How to spawn a process.
struct SpawnOptions {
    /// Link the new process to the spawner (spawn_link).
    bool link = false;
    /// Start with trap_exit set.
    bool trapExit = false;
    /// Register this local name for it ("" = none). Spawning fails (invalid Pid) if taken.
    std::string name;
    /// Supervision metadata published with the process (observers read it).
    std::shared_ptr<const ChildMeta> meta;
    /// Overrides the parent shown to observers (default: the spawning process).
    Pid parent;
};

} // namespace canopy
