#pragma once
#include "views/widgets/tree_layout.h"

#include <QFont>
#include <QFontMetricsF>
#include <QRectF>
#include <QSizeF>
#include <array>

namespace canopy::views {

/// Sizes and inner rows of a node box, from the canvas fonts. The layout thread sizes boxes with it
/// (so `dot` and the tidy tree leave exactly the room the labels need) and the painter places text
/// with the same numbers. Text is never drawn smaller than 9 pt.
class TreeNodeMetrics {
public:
    /// Where things go inside one box.
    struct Rows {
        QRectF title;    ///< heading (a herd's count after it)
        QRectF subtitle; ///< `(one_for_one)`, `(DynamicSupervisor)`, `(not running)` (empty rect if none)
        QRectF extra;    ///< supervisors: `restarts 1/3 in 5s`; herds: `+2.0/s −1.5/s` (empty if none)
        QRectF bar;      ///< supervisors: restart-intensity meter; herds: exit-reason mix (empty if none)
        QRectF toggle;   ///< herds: the expand / collapse button (empty if none)
    };

    /// Padding inside a box, and how far a herd's stack reaches right and down.
    static constexpr qreal kPadX = 10;
    static constexpr qreal kPadY = 5;
    static constexpr qreal kStack = 8;
    static constexpr qreal kMinWidth = 96;

    /// Metrics for `base` (its point size raised to at least 10 pt).
    explicit TreeNodeMetrics(const QFont& base);

    /// The heading font (bold for supervisors), the smaller font of the other lines (italic for ghosts).
    const QFont& titleFont(bool bold) const { return bold ? m_titleBold : m_title; }
    const QFont& smallFont(bool italic) const { return italic ? m_smallItalic : m_small; }
    /// Pixel height of the heading font's glyphs (for level of detail).
    qreal titlePixelHeight() const { return m_titleHeight; }

    /// The node's full rectangle size (box, plus a herd's stack). `countDigits` reserves room for
    /// a herd's count so it can change without a relayout.
    QSizeF size(const TreeLayout::Node& node, int countDigits) const;
    /// Widths of a node's title and subtitle in their fonts.
    qreal titleWidth(const TreeLayout::Node& node) const;
    qreal subtitleWidth(const TreeLayout::Node& node) const;
    /// The box inside a node's rectangle (without a herd's stack).
    static QRectF boxOf(const TreeLayout::Node& node, const QRectF& rect);
    /// Rows inside `box`.
    Rows rows(const TreeLayout::Node& node, const QRectF& box) const;
    /// Digits reserved for a herd count (at least 4, so counts up to 9,999 never relayout).
    static int countDigits(std::size_t count);
    /// The text after a herd's title: ` ×1234`.
    static QString countSuffix(qint64 count);
    /// The text of a supervisor's meter row and a herd's rates row.
    static QString meterText(int restarts, int maxRestarts, int maxSeconds);
    static QString ratesText(double spawnsPerSecond, double exitsPerSecond);

private:
    /// Per-character advances of the Latin-1 range of one font: widths of Latin-1 labels without
    /// shaping them (shaping 10k labels costs most of a layout); others are measured in full.
    struct AdvanceTable {
        std::array<float, 256> advance{};
        qreal width(const QFontMetricsF& metrics, const QString& text) const;
    };
    static AdvanceTable tableFor(const QFontMetricsF& metrics);
    static bool hasSubtitle(const TreeLayout::Node& node) { return !node.subtitle.isEmpty(); }
    static bool hasExtra(const TreeLayout::Node& node);

    QFont m_title, m_titleBold, m_small, m_smallItalic;
    QFontMetricsF m_titleMetrics, m_titleBoldMetrics, m_smallMetrics, m_smallItalicMetrics;
    AdvanceTable m_titleAdvances, m_titleBoldAdvances, m_smallAdvances, m_smallItalicAdvances;
    qreal m_titleHeight = 0;
    qreal m_extraWidth = 0;
    qreal m_ratesWidth = 0;
};

} // namespace canopy::views
