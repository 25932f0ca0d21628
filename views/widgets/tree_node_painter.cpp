#include "views/widgets/tree_node_painter.h"

#include "views/widgets/mailbox_heat_scale.h"
#include "views/widgets/tree_palette.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace canopy::views {

namespace {

constexpr qreal kRadius = 5;

QColor withAlpha(QColor c, double alpha) {
    c.setAlphaF(static_cast<float>(std::clamp(alpha, 0.0, 1.0)));
    return c;
}

QString compact(qint64 n) {
    if (n >= 1'000'000) return QString::number(static_cast<double>(n) / 1e6, 'f', 1) + u'M';
    if (n >= 10'000) return QString::number(n / 1000) + u'k';
    return QString::number(n);
}

} // namespace

TreeNodePainter::TreeNodePainter(const TreeNodeMetrics& metrics) : m_metrics(metrics) {
    const QFontMetricsF fm(m_metrics.smallFont(false));
    m_mailGlyph = fm.inFontUcs4(0x2709) ? QStringLiteral("\u2709 ") : QStringLiteral("mbox ");
    m_badgeHeight = fm.height() + 2;
}

void TreeNodePainter::resetTexts(int nodes) {
    // Texts stay prepared where a node of the new layout has the same text in the same font (a
    // seek's tree often has the same shape: preparing 2,000 labels again was a third of its paint).
    m_titles.resize(static_cast<std::size_t>(std::max(0, nodes)));
    m_subtitles.resize(static_cast<std::size_t>(std::max(0, nodes)));
}

QStaticText& TreeNodePainter::text(std::vector<PreparedText>& cache, int index, const QString& s, const QFont& font) {
    if (static_cast<std::size_t>(index) >= cache.size()) cache.resize(static_cast<std::size_t>(index) + 1);
    PreparedText& p = cache[static_cast<std::size_t>(index)];
    QStaticText& t = p.text;
    if (p.font != &font || t.text() != s) {
        t.setText(s);
        t.setTextFormat(Qt::PlainText);
        t.setPerformanceHint(QStaticText::AggressiveCaching);
        t.prepare(QTransform(), font);
        p.font = &font;
    }
    return t;
}

const QStaticText& TreeNodePainter::stateText(const QString& s, const QFont& font) {
    auto& texts = m_stateTexts[&font];
    if (auto found = texts.constFind(s); found != texts.constEnd()) return *found;
    if (texts.size() >= kMaxStateTexts) texts.clear();
    QStaticText t(s);
    t.setTextFormat(Qt::PlainText);
    t.setPerformanceHint(QStaticText::AggressiveCaching);
    t.prepare(QTransform(), font);
    return *texts.insert(s, t);
}

void TreeNodePainter::drawCentred(QPainter* painter, const QRectF& rect, const QStaticText& text) {
    const QSizeF size = text.size();
    painter->drawStaticText(QPointF(rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2), text);
}

void TreeNodePainter::paintEdge(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& child,
                                const NodeVisual& parent, bool tweening, Detail detail) const {
    const TreeLayout& layout = *canvas.layout();
    const TreeGeometry& g = *layout.geometry;
    const auto& edge = g.edges[static_cast<std::size_t>(index)];
    if (edge.pointCount == 0 || child.opacity <= 0.0) return;
    QColor colour = TreePalette::edge();
    qreal width = kEdgeWidth;
    if ((child.gaveUp || child.escalation) && parent.escalation) {
        colour = TreePalette::giveUp();
        width = 2.4;
    } else if (child.selected || child.onSelectedPath) {
        colour = TreePalette::selection();
        width = 2.4;
    }
    if (child.greyed) colour = TreePalette::greyed(colour);
    QPen pen(colour, width);
    if (detail == Detail::Boxes) pen.setWidthF(0); // cosmetic: one pixel whatever the zoom
    if (child.ghost) pen.setStyle(Qt::DashLine);
    painter->setOpacity(std::min(child.opacity, parent.opacity > 0 ? 1.0 : 0.0));
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    if (tweening) {
        // While boxes move, an elbow between where they are now.
        const QPointF a(parent.rect.center().x(), parent.rect.bottom()), b(child.rect.center().x(), child.rect.top());
        const qreal mid = (a.y() + b.y()) / 2;
        const QPointF line[4] = {a, QPointF(a.x(), mid), QPointF(b.x(), mid), b};
        painter->drawPolyline(line, 4);
        return;
    }
    const QPointF* p = g.points.data() + edge.firstPoint;
    if (edge.bezier && detail == Detail::Full) {
        QPainterPath path(p[0]);
        for (int k = 1; k + 2 < edge.pointCount; k += 3) path.cubicTo(p[k], p[k + 1], p[k + 2]);
        painter->drawPath(path);
    } else if (edge.bezier) {
        painter->drawLine(p[0], p[edge.pointCount - 1]);
    } else {
        painter->drawPolyline(p, edge.pointCount);
    }
}

QRectF TreeNodePainter::badgeRect(const QPointF& anchor, qreal width, bool right, qreal boxCentreY) const {
    // Mostly outside the box (above a top corner, below a bottom one), so the label stays readable.
    const qreal w = width + 10, h = m_badgeHeight;
    const bool above = anchor.y() < boxCentreY;
    return QRectF(right ? anchor.x() - w + 6 : anchor.x() - 6, above ? anchor.y() - h + 5 : anchor.y() - 5, w, h);
}

void TreeNodePainter::paintBadge(QPainter* painter, const QRectF& r, const QStaticText& text, const QColor& colour) const {
    painter->setPen(QPen(colour.darker(130), 1));
    painter->setBrush(colour);
    painter->drawRoundedRect(r, r.height() / 2, r.height() / 2);
    painter->setFont(m_metrics.smallFont(false));
    painter->setPen(qGray(colour.rgb()) > 150 ? TreePalette::text() : QColor(Qt::white));
    drawCentred(painter, r, text);
}

template <typename Visit>
void TreeNodePainter::forEachBadge(const TreeCanvas& canvas, int index, const NodeVisual& v, const QRectF& box, Visit&& visit) {
    const TreeLayout::Node& node = canvas.layout()->nodes[static_cast<std::size_t>(index)];
    if (v.heatLevel > 0)
        visit(box.topRight(), m_mailGlyph + compact(canvas.mailboxOf(index)) + (v.mailboxGrowing ? QStringLiteral(" \u25B2") : QString()),
              v.mailboxGrowing ? TreePalette::giveUp() : MailboxHeatScale::color(v.heatLevel), true);
    if (v.gaveUp) visit(box.topLeft(), QStringLiteral("gave up"), TreePalette::giveUp(), false);
    if (canvas.hasDiffOverlay()) {
        if (canvas.diffAdded(index)) visit(box.bottomLeft(), QStringLiteral("+ added"), TreePalette::diffAdded(), false);
        if (node.origin == TreeLayout::Origin::DiffRemoved) visit(box.topLeft(), QStringLiteral("\u2212 removed"), TreePalette::diffRemoved(), false);
        if (const int r = canvas.diffRestarts(index); r > 0)
            visit(box.bottomLeft(), QStringLiteral("restarted \u00d7%1").arg(r), TreePalette::restart(), false);
        if (const qint64 d = canvas.diffMailboxDelta(index); d != 0)
            visit(box.bottomRight(), m_mailGlyph + (d > 0 ? u'+' : u'\u2212') + compact(std::llabs(d)),
                  d > 0 ? MailboxHeatScale::color(3) : TreePalette::diffAdded(), true);
    }
}

QRectF TreeNodePainter::extent(const TreeCanvas& canvas, int index, const NodeVisual& v) {
    const TreeLayout::Node& node = canvas.layout()->nodes[static_cast<std::size_t>(index)];
    const QRectF box = TreeNodeMetrics::boxOf(node, v.rect);
    // The chrome pixmap: the glow around the rect, the box and stack, 3 units of pen and margin.
    const qreal reach = v.heatLevel > 0 ? MailboxHeatScale::reach(v.heatLevel) : 0.0;
    QRectF out = v.rect.adjusted(-reach - 3, -reach - 3, reach + 3, reach + 3);
    if (v.pulseAlpha > 0.0) {
        const qreal g = v.pulseGrow + 3;
        out = out.united(box.adjusted(-g, -g, g, g));
    }
    const QFont& small = m_metrics.smallFont(false);
    forEachBadge(canvas, index, v, box, [&](const QPointF& anchor, const QString& label, const QColor&, bool right) {
        out = out.united(badgeRect(anchor, stateText(label, small).size().width(), right, box.center().y()).adjusted(-1, -1, 1, 1));
    });
    return out;
}

void TreeNodePainter::drawGlow(QPainter* painter, const QRectF& rect, int heatLevel) {
    // Rings of the heat colour, strongest near the box.
    if (heatLevel <= 0) return;
    const QColor heat = MailboxHeatScale::color(heatLevel);
    const qreal reach = MailboxHeatScale::reach(heatLevel);
    painter->setPen(Qt::NoPen);
    for (int k = 3; k >= 1; --k) {
        const qreal grow = reach * k / 3.0;
        painter->setBrush(withAlpha(heat, 0.22 + 0.18 * (3 - k)));
        painter->drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), kRadius + grow, kRadius + grow);
    }
}

void TreeNodePainter::drawBody(QPainter* painter, const QRectF& box, const NodeVisual& v, bool dynamic) {
    // A herd is a stack of boxes.
    QPen pen(v.border, v.borderWidth);
    if (v.ghost) pen.setStyle(Qt::DashLine);
    if (v.herd) {
        painter->setPen(QPen(v.border, 1.2));
        painter->setBrush(v.fill.darker(106));
        const qreal s = TreeNodeMetrics::kStack;
        painter->drawRoundedRect(box.translated(s, s), kRadius, kRadius);
        painter->drawRoundedRect(box.translated(s / 2, s / 2), kRadius, kRadius);
    }
    painter->setPen(pen);
    painter->setBrush(v.fill);
    painter->drawRoundedRect(box, kRadius, kRadius);
    if (dynamic) {
        // Dynamic supervisors: a second inner outline.
        painter->setPen(QPen(withAlpha(v.border, 0.55), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(box.adjusted(3, 3, -3, -3), kRadius - 2, kRadius - 2);
    }
}

void TreeNodePainter::drawToggle(QPainter* painter, const QRectF& toggle, const QColor& border, bool expanded) {
    painter->setPen(QPen(border, 1.2));
    painter->setBrush(QColor(Qt::white));
    painter->drawEllipse(toggle);
    const QPointF c = toggle.center();
    painter->drawLine(QPointF(c.x() - 4, c.y()), QPointF(c.x() + 4, c.y()));
    if (!expanded) painter->drawLine(QPointF(c.x(), c.y() - 4), QPointF(c.x(), c.y() + 4));
}

bool TreeNodePainter::blitChrome(QPainter* painter, const QRectF& box, const NodeVisual& v, bool dynamic, const QRectF& toggle,
                                 bool expanded) {
    const QTransform world = painter->worldTransform();
    if (world.type() > QTransform::TxScale || world.m11() <= 0 || !qFuzzyCompare(world.m11(), world.m22())) return false;
    const qreal scale = world.m11();
    // What the chrome covers: the glow around the slot's rect, the stack behind the box, half pens.
    const qreal reach = v.heatLevel > 0 ? MailboxHeatScale::reach(v.heatLevel) : 0.0;
    QRectF extent = v.rect.adjusted(-reach, -reach, reach, reach).united(box);
    if (v.herd) extent = extent.united(box.translated(TreeNodeMetrics::kStack, TreeNodeMetrics::kStack));
    extent.adjust(-3, -3, 3, 3);
    auto hundredths = [](qreal x) { return qRound(x * 100); };
    ChromeKey key;
    key.scaleMilli = qRound(scale * 1000);
    key.rectW = hundredths(v.rect.width());
    key.rectH = hundredths(v.rect.height());
    key.boxX = hundredths(box.left() - v.rect.left());
    key.boxY = hundredths(box.top() - v.rect.top());
    key.boxW = hundredths(box.width());
    key.boxH = hundredths(box.height());
    key.borderWidth = hundredths(v.borderWidth);
    key.fill = v.fill.rgba();
    key.border = v.border.rgba();
    key.heat = v.heatLevel;
    key.herd = v.herd;
    key.ghost = v.ghost;
    key.dynamic = dynamic;
    if (!toggle.isEmpty()) {
        key.toggleX = hundredths(toggle.left() - v.rect.left());
        key.toggleY = hundredths(toggle.top() - v.rect.top());
        key.toggleW = hundredths(toggle.width());
        key.expanded = expanded;
    }
    // The pixmap's top-left lands on a whole device pixel: a node drawn there and one drawn
    // directly differ by under half a pixel.
    const QPointF device = world.map(extent.topLeft());
    const QPoint at(qRound(device.x()), qRound(device.y()));
    auto found = m_chrome.constFind(key);
    if (found == m_chrome.constEnd()) {
        const QSize size(int(std::ceil(extent.width() * scale)) + 1, int(std::ceil(extent.height() * scale)) + 1);
        if (size.width() > 2048 || size.height() > 2048) return false; // zoomed far in: paint directly
        if (m_chrome.size() >= kMaxChrome) m_chrome.clear();
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.scale(scale, scale);
        p.translate(-extent.topLeft());
        drawGlow(&p, v.rect, v.heatLevel);
        drawBody(&p, box, v, dynamic);
        if (!toggle.isEmpty()) drawToggle(&p, toggle, v.border, expanded);
        p.end();
        found = m_chrome.insert(key, pixmap);
    }
    painter->setWorldTransform(QTransform());
    painter->drawPixmap(at, *found);
    painter->setWorldTransform(world);
    return true;
}

void TreeNodePainter::paintNode(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& v, Detail detail,
                                bool expanded) {
    if (v.opacity <= 0.0) return;
    const TreeLayout& layout = *canvas.layout();
    const TreeLayout::Node& node = layout.nodes[static_cast<std::size_t>(index)];
    const QRectF box = TreeNodeMetrics::boxOf(node, v.rect);
    painter->setOpacity(v.opacity);

    if (detail == Detail::Boxes) {
        QColor fill = v.fill;
        if (v.heatLevel > 0) fill = MailboxHeatScale::color(v.heatLevel);
        if (v.herd) painter->fillRect(box.translated(TreeNodeMetrics::kStack, TreeNodeMetrics::kStack), v.border.lighter(150));
        painter->setPen(QPen(v.border, 0));
        painter->setBrush(fill);
        painter->drawRect(box);
        return;
    }

    const bool dynamic = node.kind == TreeLayout::Kind::DynamicSupervisor && !v.ghost;
    const TreeNodeMetrics::Rows rows = m_metrics.rows(node, box);
    // The toggle goes with the chrome (it meets nothing drawn after it but the badges, drawn later still).
    const bool blitted = v.pulseAlpha <= 0.0 && blitChrome(painter, box, v, dynamic, rows.toggle, expanded);
    if (!blitted) {
        drawGlow(painter, v.rect, v.heatLevel);
        // Restart pulse: a ring leaving the box.
        if (v.pulseAlpha > 0.0) {
            painter->setPen(QPen(withAlpha(TreePalette::restart(), v.pulseAlpha), 3));
            painter->setBrush(Qt::NoBrush);
            const qreal g = v.pulseGrow;
            painter->drawRoundedRect(box.adjusted(-g, -g, g, g), kRadius + g, kRadius + g);
        }
        drawBody(painter, box, v, dynamic);
    }

    // Text.
    const bool bold = node.kind != TreeLayout::Kind::Worker;
    const QFont& titleFont = m_metrics.titleFont(bold);
    painter->setPen(v.text);
    QStaticText& title = text(m_titles, index, node.title, titleFont);
    qreal titleWidth = node.titleWidth;
    const QStaticText* count = node.herd ? &stateText(TreeNodeMetrics::countSuffix(v.count), titleFont) : nullptr;
    if (count) titleWidth += count->size().width();
    const qreal titleX = rows.title.left() + std::max<qreal>(0, (rows.title.width() - titleWidth) / 2);
    painter->setFont(titleFont); // drawStaticText lays out with the painter's font
    painter->drawStaticText(QPointF(titleX, rows.title.top()), title);
    if (count) painter->drawStaticText(QPointF(titleX + node.titleWidth, rows.title.top()), *count);
    const QFont& small = m_metrics.smallFont(v.ghost);
    if (!rows.subtitle.isEmpty()) {
        painter->setPen(v.ghost ? v.text : TreePalette::mutedText());
        QStaticText& sub = text(m_subtitles, index, node.subtitle, small);
        painter->setFont(small);
        painter->drawStaticText(QPointF(rows.subtitle.left() + std::max<qreal>(0, (rows.subtitle.width() - node.subtitleWidth) / 2),
                                        rows.subtitle.top()),
                                sub);
    }
    if (!rows.extra.isEmpty()) {
        painter->setFont(m_metrics.smallFont(false));
        painter->setPen(TreePalette::mutedText());
        if (node.herd) {
            drawCentred(painter, rows.extra, stateText(TreeNodeMetrics::ratesText(canvas.spawnRate(index), canvas.exitRate(index)), m_metrics.smallFont(false)));
            // Exit-reason mix since the herd was drawn.
            const auto mix = canvas.exitMix(index);
            int total = 0;
            for (int c : mix) total += c;
            painter->setPen(Qt::NoPen);
            painter->setBrush(TreePalette::meterTrack());
            painter->drawRect(rows.bar);
            qreal x = rows.bar.left();
            if (total > 0)
                for (int c = 0; c < kExitCategories; ++c) {
                    if (mix[static_cast<std::size_t>(c)] == 0) continue;
                    const qreal w = rows.bar.width() * mix[static_cast<std::size_t>(c)] / total;
                    const QColor mixColour = TreePalette::exitColor(static_cast<ExitCategory>(c));
                    painter->setBrush(v.greyed ? TreePalette::greyed(mixColour) : mixColour);
                    painter->drawRect(QRectF(x, rows.bar.top(), w, rows.bar.height()));
                    x += w;
                }
        } else {
            const auto intensity = canvas.intensityOf(index);
            const QString meter = intensity ? TreeNodeMetrics::meterText((*intensity)[0], (*intensity)[1], (*intensity)[2])
                                            : QStringLiteral("restarts \u2013");
            drawCentred(painter, rows.extra, stateText(meter, m_metrics.smallFont(false)));
            painter->setPen(Qt::NoPen);
            painter->setBrush(TreePalette::meterTrack());
            painter->drawRect(rows.bar);
            double share = intensity && (*intensity)[1] > 0 ? static_cast<double>((*intensity)[0]) / (*intensity)[1] : 0.0;
            if (v.gaveUp) share = 1.0;
            if (share > 0) {
                painter->setBrush(v.greyed ? TreePalette::greyed(TreePalette::meter(share)) : TreePalette::meter(share));
                painter->drawRect(QRectF(rows.bar.left(), rows.bar.top(), rows.bar.width() * std::min(1.0, share), rows.bar.height()));
            }
        }
    }
    if (!rows.toggle.isEmpty() && !blitted) drawToggle(painter, rows.toggle, v.border, expanded);

    // Badges on the corners (grey too when the view is greyed).
    const QFont& badgeFont = m_metrics.smallFont(false);
    forEachBadge(canvas, index, v, box, [&](const QPointF& anchor, const QString& label, const QColor& colour, bool right) {
        const QStaticText& t = stateText(label, badgeFont);
        paintBadge(painter, badgeRect(anchor, t.size().width(), right, box.center().y()), t, v.greyed ? TreePalette::greyed(colour) : colour);
    });
}

} // namespace canopy::views
