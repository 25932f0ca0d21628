#pragma once
#include "introspection/keyframe.h"
#include "introspection/process_record.h"
#include "runtime/process_view.h"
#include <cstdint>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

/// Builds keyframes by walking the runtime's process table (Runtime::forEachProcessView): no process is
/// messaged, paused or locked beyond the copy of its own small state.
class KeyframeBuilder {
public:
    /// The wire record of one process.
    static ProcessRecord toRecord(const ProcessView& view);
    /// Every live process, or only `root` and its descendants when root != 0 (empty when root is dead).
    static Keyframe build(const Runtime& rt, std::uint64_t root = 0);
};

} // namespace canopy::introspection
