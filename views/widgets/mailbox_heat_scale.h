#pragma once
#include <QColor>
#include <QString>
#include <QtGlobal>

namespace canopy::views {

/// The mailbox-length scale of the tree canvas's heat glow, in decades: level 0 (empty) draws
/// nothing, 1 = 1-9 messages, 2 = 10-99, 3 = 100-999, 4 = 1,000 and more. The legend shows the same.
class MailboxHeatScale {
public:
    /// Highest level.
    static constexpr int kLevels = 4;

    /// The level of a mailbox length.
    static int level(qint64 length) {
        if (length <= 0) return 0;
        if (length < 10) return 1;
        if (length < 100) return 2;
        if (length < 1000) return 3;
        return 4;
    }
    /// The glow colour of a level (invalid for 0).
    static QColor color(int level) {
        switch (level) {
        case 1: return QColor(0xf4, 0xc4, 0x30);
        case 2: return QColor(0xf5, 0x92, 0x1b);
        case 3: return QColor(0xe8, 0x5d, 0x1f);
        case 4: return QColor(0xd3, 0x2f, 0x2f);
        default: return {};
        }
    }
    /// How far the glow reaches outside the box at a level (scene units).
    static qreal reach(int level) { return level <= 0 ? 0.0 : 3.0 + 2.5 * level; }
    /// The legend text of a level: `1+`, `10+`, `100+`, `1k+`.
    static QString label(int level) {
        switch (level) {
        case 1: return QStringLiteral("1+");
        case 2: return QStringLiteral("10+");
        case 3: return QStringLiteral("100+");
        case 4: return QStringLiteral("1k+");
        default: return {};
        }
    }
};

} // namespace canopy::views
