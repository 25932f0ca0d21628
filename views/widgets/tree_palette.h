#pragma once
#include "views/widgets/exit_category.h"
#include "views/widgets/tree_layout.h"

#include <QColor>

namespace canopy::views {

/// The tree canvas's colours (light theme), in one place so the legend, the painter and the tests
/// agree.
class TreePalette {
public:
    static QColor background() { return QColor(0xf6, 0xf7, 0xf9); }
    static QColor edge() { return QColor(0x8a, 0x94, 0xa3); }
    static QColor text() { return QColor(0x1d, 0x23, 0x2b); }
    static QColor mutedText() { return QColor(0x55, 0x5f, 0x6b); }
    /// Box fill and border by kind.
    static QColor fill(TreeLayout::Kind kind) {
        switch (kind) {
        case TreeLayout::Kind::Supervisor: return QColor(0xe3, 0xed, 0xfb);
        case TreeLayout::Kind::DynamicSupervisor: return QColor(0xe2, 0xf3, 0xe6);
        case TreeLayout::Kind::Worker: break;
        }
        return QColor(0xff, 0xff, 0xff);
    }
    static QColor border(TreeLayout::Kind kind) {
        switch (kind) {
        case TreeLayout::Kind::Supervisor: return QColor(0x35, 0x64, 0xb0);
        case TreeLayout::Kind::DynamicSupervisor: return QColor(0x2e, 0x7d, 0x4f);
        case TreeLayout::Kind::Worker: break;
        }
        return QColor(0x6b, 0x77, 0x85);
    }
    static QColor ghostBorder() { return QColor(0x98, 0xa1, 0xac); }
    /// The fill of a process fading out after an exit of this category.
    static QColor exitFill(ExitCategory c) {
        switch (c) {
        case ExitCategory::Abnormal: return QColor(0xef, 0x9a, 0x9a);
        case ExitCategory::Killed: return QColor(0xff, 0xc8, 0x80);
        case ExitCategory::Normal:
        case ExitCategory::Shutdown:
        case ExitCategory::Unknown: break;
        }
        return QColor(0xd5, 0xd8, 0xdd);
    }
    /// The strong colour of an exit category (borders, the herd mix bar, the legend).
    static QColor exitColor(ExitCategory c) {
        switch (c) {
        case ExitCategory::Normal: return QColor(0x9e, 0xa4, 0xab);
        case ExitCategory::Shutdown: return QColor(0x6d, 0x74, 0x7c);
        case ExitCategory::Killed: return QColor(0xf0, 0x8a, 0x24);
        case ExitCategory::Abnormal: return QColor(0xd3, 0x2f, 0x2f);
        case ExitCategory::Unknown: break;
        }
        return QColor(0xc0, 0xc4, 0xc9);
    }
    static QColor spawn() { return QColor(0x2e, 0x9d, 0x4f); }
    static QColor restart() { return QColor(0xf0, 0x8a, 0x24); }
    static QColor giveUp() { return QColor(0xd3, 0x2f, 0x2f); }
    static QColor selection() { return QColor(0x15, 0x65, 0xc0); }
    static QColor match() { return QColor(0xff, 0xf1, 0x76); }
    static QColor diffAdded() { return QColor(0x2e, 0x7d, 0x32); }
    static QColor diffRemoved() { return QColor(0xc6, 0x28, 0x28); }
    /// Restart-intensity meter: the share of the limit used, from green to red.
    static QColor meter(double share) {
        if (share >= 1.0) return QColor(0xd3, 0x2f, 0x2f);
        if (share >= 0.6) return QColor(0xf0, 0x8a, 0x24);
        return QColor(0x43, 0xa0, 0x47);
    }
    static QColor meterTrack() { return QColor(0xd9, 0xde, 0xe4); }
    /// Greyed (connection lost): a colour's grey at reduced contrast.
    static QColor greyed(const QColor& c) {
        const int g = qGray(c.rgb());
        const int v = 150 + g * 100 / 255;
        return QColor(v, v, v, c.alpha());
    }
};

} // namespace canopy::views
