#pragma once
#include "runtime/exit_reason.h"
#include <cstdint>
#include <string_view>

namespace canopy {

/// What happened, reported to an EventSink. Supervisor reports use OTP's contexts.
enum class RuntimeEventType : std::uint8_t {
    Spawn,            ///< pid spawned by peer (parent); text = initial call / type name
    Exit,             ///< pid exited with reason
    Link,             ///< pid linked to peer
    Unlink,           ///< pid unlinked from peer
    Monitor,          ///< pid monitors peer
    Demonitor,        ///< pid removed its monitor of peer
    NameRegistered,   ///< pid registered as text
    NameUnregistered, ///< pid lost name text
    ChildStarted,     ///< supervisor peer started child pid with id text (after init succeeded)
    ChildTerminated,  ///< report child_terminated: peer's child pid (id text) exited abnormally (or permanent)
    ChildRestarted,   ///< supervisor peer restarted child (id text) as pid; restarts/limit filled
    StartError,       ///< report start_error: peer failed to start child id text with reason
    SupervisorGaveUp, ///< report shutdown: reached_max_restart_intensity (pid = the supervisor, peer = the child one restart too many (0 if none), text = its id)
    ShutdownError,    ///< report shutdown_error: child stopped with an unexpected reason
};

/// One lifecycle event. Views are only valid during the EventSink call: copy what you keep.
struct RuntimeEvent {
    RuntimeEventType type{};
    /// Monotonic ns from the runtime's clock.
    std::int64_t timeNs = 0;
    /// The subject process (the child for supervisor reports).
    std::uint64_t pid = 0;
    /// The other party: parent (Spawn), link/monitor peer, or the supervisor (reports).
    std::uint64_t peer = 0;
    /// Initial call, registered name, or child id.
    std::string_view text;
    /// Exit reason (Exit and reports); nullptr otherwise.
    const ExitReason* reason = nullptr;
    /// Supervisor reports: the strategy ("one_for_one", ...), restarts in the current window, limit.
    std::string_view strategy;
    int restartsInWindow = 0;
    int maxRestarts = 0;
    int maxSeconds = 0;
};

} // namespace canopy
