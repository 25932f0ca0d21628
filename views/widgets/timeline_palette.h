#pragma once
#include "views/model/timeline_data.h"
#include <QColor>

namespace canopy::views {

/// The timeline's colours, shared by the chart and its legend.
namespace TimelinePalette {
/// Process count series (left axis).
inline QColor processes() { return QColor(0x15, 0x65, 0xc0); }
/// Total mailbox series (right axis).
inline QColor mailbox() { return QColor(0x00, 0x89, 0x7b); }
inline QColor grid() { return QColor(0xe3, 0xe6, 0xea); }
inline QColor axis() { return QColor(0x9e, 0xa4, 0xab); }
inline QColor cursor() { return QColor(0x21, 0x21, 0x21); }
/// Marker colours: restarts amber, abnormal exits red, give-ups dark red, resyncs violet.
inline QColor marker(TimelineMarkerKind kind) {
    switch (kind) {
    case TimelineMarkerKind::Restart: return QColor(0xef, 0x8f, 0x00);
    case TimelineMarkerKind::AbnormalExit: return QColor(0xe5, 0x39, 0x35);
    case TimelineMarkerKind::GiveUp: return QColor(0xb7, 0x1c, 0x1c);
    case TimelineMarkerKind::Resync: return QColor(0x7b, 0x1f, 0xa2);
    }
    return {};
}
} // namespace TimelinePalette

} // namespace canopy::views
