#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// Probe -> viewer: the viewer's queue overflowed (or a gap was reported); a fresh keyframe follows
/// and sequence numbers continue from that keyframe's seq.
struct ResyncNotice {
    /// Total structural events dropped for this viewer since it connected.
    std::uint64_t dropped = 0;
    /// Why: "queue_overflow" | "requested" | "subscription_changed".
    std::string reason;
};

} // namespace canopy::introspection
