#pragma once

namespace canopy::views {

/// The tree canvas's state (work in progress).
class TreeCanvas {};

} // namespace canopy::views
