#pragma once
#include <memory>

namespace canopy::views {

/// Drops references on a background thread: when the reference handed over is the last one, the
/// object's destructor runs there, not on the caller's thread. The GUI thread hands over what it
/// replaces (a 100k-process tree layout, a change batch with tens of thousands of records): freeing
/// those took milliseconds of a frame. The thread runs at a low priority; what is still queued when
/// the program ends is released as it ends.
class BackgroundRelease {
public:
    /// Takes over the caller's reference to `object` (nullptr is ignored).
    static void drop(std::shared_ptr<const void> object);
    /// Blocks until every reference dropped before the call has been released (for tests).
    static void flush();
};

} // namespace canopy::views
