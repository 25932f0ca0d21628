#pragma once
#include "runtime/runtime_event.h"

namespace canopy {

/// Receives the runtime's lifecycle events on the thread where they happen. Implementations must be
/// thread-safe, must not block and must not call back into the runtime (queue the event and return).
/// With no sink attached the runtime pays one predictable branch per event site.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void onEvent(const RuntimeEvent& event) noexcept = 0;
};

} // namespace canopy
