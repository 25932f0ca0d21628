#pragma once

namespace canopy::views {

/// Lays trees out off the GUI thread (work in progress).
class TreeLayoutWorker {};

} // namespace canopy::views
