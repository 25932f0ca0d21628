#pragma once
// Session time as people read it, the same on the timeline, the status bar and the panels.
#include <QString>
#include <cstdint>

namespace canopy::views {

/// `mm:ss` (`h:mm:ss` from one hour on); negative times clamp to 00:00.
QString sessionTimeText(std::int64_t ns);
/// `mm:ss.t` (tenths), for a cursor position.
QString sessionTimeTextPrecise(std::int64_t ns);
/// A span for prose: `850 ms`, `4.2 s`, `3 min 20 s`, `2 h 05 min`.
QString durationText(std::int64_t ns);

} // namespace canopy::views
