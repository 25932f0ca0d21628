#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// Probe -> viewer: the outcome of a Command.
struct CommandResult {
    /// The Command's id.
    std::uint64_t id = 0;
    bool ok = false;
    /// "" on success, else one line (e.g. "commands are disabled", "not_found").
    std::string message;
};

} // namespace canopy::introspection
