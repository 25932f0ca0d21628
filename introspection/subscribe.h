#pragma once
#include <cstdint>

namespace canopy::introspection {

/// Viewer -> probe: what to stream. Answered by a keyframe of the chosen subtree.
struct Subscribe {
    /// Root of the subtree to stream; 0 = the whole runtime.
    std::uint64_t root = 0;
    /// Samples per second (0 = no samples). The probe may clamp it (documented range 0..50).
    double sampleHz = 1.0;
};

} // namespace canopy::introspection
