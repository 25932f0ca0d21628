#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// Viewer -> probe: a destructive action; refused unless the probe enabled commands.
struct Command {
    /// Echoed in the CommandResult.
    std::uint64_t id = 0;
    /// "kill" (exit(pid, reason), default reason kill) | "terminate_child" | "restart_child".
    std::string action;
    /// Target process (kill).
    std::uint64_t pid = 0;
    /// Supervisor (terminate_child / restart_child).
    std::uint64_t supervisor = 0;
    /// Child id in the supervisor (terminate_child / restart_child); or use pid for dynamic children.
    std::string childId;
    /// Exit reason for kill ("" = kill).
    std::string reason;
};

} // namespace canopy::introspection
