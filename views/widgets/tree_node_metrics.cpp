#include "views/widgets/tree_node_metrics.h"

#include <algorithm>
#include <cmath>

namespace canopy::views {

namespace {

constexpr qreal kBarRow = 7;      // a meter or mix bar and the gap above it
constexpr qreal kToggleWidth = 20;

QFont withSize(QFont f, qreal points, bool bold, bool italic) {
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setItalic(italic);
    return f;
}

qreal basePoints(const QFont& base) {
    const qreal p = base.pointSizeF() > 0 ? base.pointSizeF() : 10.0;
    return std::max<qreal>(10.0, p);
}

} // namespace

TreeNodeMetrics::TreeNodeMetrics(const QFont& base)
    : m_title(withSize(base, basePoints(base), false, false)), m_titleBold(withSize(base, basePoints(base), true, false)),
      m_small(withSize(base, std::max<qreal>(9.0, basePoints(base) - 1), false, false)),
      m_smallItalic(withSize(base, std::max<qreal>(9.0, basePoints(base) - 1), false, true)), m_titleMetrics(m_title),
      m_titleBoldMetrics(m_titleBold), m_smallMetrics(m_small), m_smallItalicMetrics(m_smallItalic) {
    m_titleAdvances = tableFor(m_titleMetrics);
    m_titleBoldAdvances = tableFor(m_titleBoldMetrics);
    m_smallAdvances = tableFor(m_smallMetrics);
    m_smallItalicAdvances = tableFor(m_smallItalicMetrics);
    m_titleHeight = m_titleMetrics.height();
    m_extraWidth = m_smallMetrics.horizontalAdvance(meterText(10, 10, 60));
    m_ratesWidth = m_smallMetrics.horizontalAdvance(ratesText(999.9, 999.9));
}

bool TreeNodeMetrics::hasExtra(const TreeLayout::Node& node) {
    if (node.ghost) return false;
    return node.herd || node.kind != TreeLayout::Kind::Worker;
}

int TreeNodeMetrics::countDigits(std::size_t count) {
    int digits = 1;
    for (std::size_t c = count; c >= 10; c /= 10) ++digits;
    return std::max(4, digits);
}

QString TreeNodeMetrics::countSuffix(qint64 count) { return QStringLiteral(" \u00d7%1").arg(count); }

QString TreeNodeMetrics::meterText(int restarts, int maxRestarts, int maxSeconds) {
    return QStringLiteral("restarts %1/%2 in %3s").arg(restarts).arg(maxRestarts).arg(maxSeconds);
}

QString TreeNodeMetrics::ratesText(double spawnsPerSecond, double exitsPerSecond) {
    return QStringLiteral("+%1/s  \u2212%2/s").arg(spawnsPerSecond, 0, 'f', 1).arg(exitsPerSecond, 0, 'f', 1);
}

QSizeF TreeNodeMetrics::size(const TreeLayout::Node& node, int countDigits) const {
    const bool bold = node.kind != TreeLayout::Kind::Worker;
    const QFontMetricsF& tm = bold ? m_titleBoldMetrics : m_titleMetrics;
    qreal width = node.titleWidth > 0 ? node.titleWidth : titleWidth(node);
    if (node.herd) width += tm.horizontalAdvance(QStringLiteral(" \u00d7") + QString(countDigits, u'0')) + kToggleWidth;
    qreal height = tm.height();
    if (hasSubtitle(node)) {
        width = std::max(width, node.subtitleWidth > 0 ? qreal(node.subtitleWidth) : subtitleWidth(node));
        height += m_smallMetrics.height();
    }
    if (hasExtra(node)) {
        width = std::max(width, node.herd ? m_ratesWidth : m_extraWidth);
        height += m_smallMetrics.height() + kBarRow;
    }
    QSizeF s(std::max(kMinWidth, std::ceil(width + 2 * kPadX)), std::ceil(height + 2 * kPadY));
    if (node.herd) s += QSizeF(kStack, kStack);
    return s;
}

TreeNodeMetrics::AdvanceTable TreeNodeMetrics::tableFor(const QFontMetricsF& metrics) {
    AdvanceTable t;
    for (int c = 32; c < 256; ++c) t.advance[static_cast<std::size_t>(c)] = static_cast<float>(metrics.horizontalAdvance(QChar(c)));
    return t;
}

qreal TreeNodeMetrics::AdvanceTable::width(const QFontMetricsF& metrics, const QString& text) const {
    qreal sum = 0;
    for (const QChar c : text) {
        if (c.unicode() >= 256 || c.unicode() < 32) return metrics.horizontalAdvance(text);
        sum += advance[c.unicode()];
    }
    // Unshaped advances are an upper bound of the shaped width (kerning only narrows Latin text).
    return std::ceil(sum);
}

qreal TreeNodeMetrics::titleWidth(const TreeLayout::Node& node) const {
    return node.kind != TreeLayout::Kind::Worker ? m_titleBoldAdvances.width(m_titleBoldMetrics, node.title)
                                                 : m_titleAdvances.width(m_titleMetrics, node.title);
}

qreal TreeNodeMetrics::subtitleWidth(const TreeLayout::Node& node) const {
    return node.ghost ? m_smallItalicAdvances.width(m_smallItalicMetrics, node.subtitle) : m_smallAdvances.width(m_smallMetrics, node.subtitle);
}

QRectF TreeNodeMetrics::boxOf(const TreeLayout::Node& node, const QRectF& rect) {
    return node.herd ? rect.adjusted(0, 0, -kStack, -kStack) : rect;
}

TreeNodeMetrics::Rows TreeNodeMetrics::rows(const TreeLayout::Node& node, const QRectF& box) const {
    Rows r;
    const QRectF inner = box.adjusted(kPadX, kPadY, -kPadX, -kPadY);
    qreal y = inner.top();
    const qreal titleH = m_titleMetrics.height();
    r.title = QRectF(inner.left(), y, inner.width(), titleH);
    if (node.herd) {
        r.toggle = QRectF(inner.right() - kToggleWidth + 4, y + (titleH - 16) / 2, 16, 16);
        r.title.setRight(inner.right() - kToggleWidth);
    }
    y += titleH;
    if (hasSubtitle(node)) {
        r.subtitle = QRectF(inner.left(), y, inner.width(), m_smallMetrics.height());
        y += m_smallMetrics.height();
    }
    if (hasExtra(node)) {
        r.extra = QRectF(inner.left(), y, inner.width(), m_smallMetrics.height());
        y += m_smallMetrics.height();
        r.bar = QRectF(inner.left(), y + 2, inner.width(), kBarRow - 3);
    }
    return r;
}

} // namespace canopy::views
