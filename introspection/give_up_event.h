#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// A supervisor reached its restart intensity and gave up (listed in the session index: rare and
/// what a user looks for first).
struct GiveUpEvent {
    /// Probe clock of the event.
    std::int64_t timeNs = 0;
    /// The supervisor that gave up.
    std::uint64_t supervisor = 0;
    /// The child whose failure exhausted the intensity.
    std::string childId;
    /// The reason the supervisor exited with.
    std::string reason;
};

} // namespace canopy::introspection
