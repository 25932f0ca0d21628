#pragma once

namespace canopy::introspection {

/// Viewer -> probe: send a fresh keyframe (e.g. after the viewer detected a sequence gap).
struct KeyframeRequest {};

} // namespace canopy::introspection
