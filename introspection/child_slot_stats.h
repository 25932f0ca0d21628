#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// Observer-side history of one child slot (supervisor + child id), carried in keyframes written to
/// session files so restart counts survive a seek even when the slot's process is gone.
struct ChildSlotStats {
    std::uint64_t supervisor = 0;
    std::string childId;
    /// Restarts of this slot seen over the session.
    int restarts = 0;
    /// The slot's last exit reason ("" if none).
    std::string lastExit;
};

} // namespace canopy::introspection
