#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace canopy::introspection {

/// What a Delta reports. Mirrors the runtime's lifecycle events one to one.
enum class DeltaType : std::uint8_t {
    Spawn,            ///< pid spawned by peer (parent); text = initial call
    Exit,             ///< pid exited; reason
    Link,             ///< pid linked to peer
    Unlink,           ///< pid unlinked from peer
    Monitor,          ///< pid monitors peer
    Demonitor,        ///< pid removed its monitor of peer
    NameRegistered,   ///< pid registered as text
    NameUnregistered, ///< pid lost name text
    ChildStarted,     ///< supervisor peer started child pid with id text
    ChildTerminated,  ///< supervisor peer's child pid (id text) exited abnormally; reason
    ChildRestarted,   ///< supervisor peer restarted child id text as pid; strategy, restarts/limit
    StartError,       ///< supervisor peer failed to start child id text; reason
    SupervisorGaveUp, ///< supervisor pid reached max restart intensity (text = offending child id)
    ShutdownError,    ///< child pid of supervisor peer stopped with an unexpected reason
};

/// Wire name: `spawn`, `exit`, `link`, ..., `supervisor_gave_up`, `shutdown_error`.
std::string_view toString(DeltaType t);
/// Parses a wire name; nullopt when unknown.
std::optional<DeltaType> parseDeltaType(std::string_view s);

} // namespace canopy::introspection
