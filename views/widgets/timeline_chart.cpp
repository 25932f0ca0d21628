#include "views/widgets/timeline_chart.h"
#include "views/model/session_time_text.h"
#include "views/widgets/timeline_palette.h"
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <cmath>

namespace canopy::views {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr int kMarkerBand = 22;   // two marker lanes above the plot: crashes and resyncs, then restarts
constexpr int kTimeAxis = 18;     // tick labels under the plot
constexpr int kTopMargin = 2;
constexpr int kHitRadius = 5;     // px either side of a marker that still hits it

/// 1, 2, 5 x 10^k at or above v (at least 1).
std::int64_t niceCeil(std::int64_t v) {
    if (v <= 1) return 1;
    std::int64_t p = 1;
    while (p * 10 < v) p *= 10;
    for (std::int64_t m : {1, 2, 5, 10})
        if (m * p >= v) return m * p;
    return 10 * p;
}

QString countText(std::int64_t v) {
    if (v >= 10'000'000) return QString::number(v / 1'000'000) + QStringLiteral("M");
    if (v >= 100'000) return QString::number(v / 1'000) + QStringLiteral("k");
    return QString::number(v);
}

int priority(TimelineMarkerKind k) {
    switch (k) {
    case TimelineMarkerKind::GiveUp: return 3;
    case TimelineMarkerKind::AbnormalExit: return 2;
    case TimelineMarkerKind::Resync: return 1;
    case TimelineMarkerKind::Restart: return 0;
    }
    return 0;
}

QString kindText(TimelineMarkerKind k) {
    switch (k) {
    case TimelineMarkerKind::GiveUp: return QObject::tr("give-up");
    case TimelineMarkerKind::AbnormalExit: return QObject::tr("abnormal exit");
    case TimelineMarkerKind::Resync: return QObject::tr("resync");
    case TimelineMarkerKind::Restart: return QObject::tr("restart");
    }
    return {};
}

} // namespace

TimelineChart::TimelineChart(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::ClickFocus);
    setCursor(Qt::IBeamCursor);
    setMouseTracking(true); // a pointing hand over markers
    updatePlotRect();
}

void TimelineChart::setData(TimelineData data) {
    m_data = std::move(data);
    m_maxCount = m_data.maxProcessCount();
    m_maxMailbox = m_data.maxTotalMailbox();
    m_viewSpanNs = 0;
    m_viewStartNs = 0;
    m_cursorNs = std::clamp<std::int64_t>(m_cursorNs, 0, std::max<std::int64_t>(m_data.durationNs, 0));
    updatePlotRect();
    invalidate();
}

void TimelineChart::appendData(const TimelineData& later) {
    for (const auto& p : later.points) {
        m_maxCount = std::max(m_maxCount, p.processCount);
        m_maxMailbox = std::max(m_maxMailbox, p.totalMailbox);
    }
    const std::int64_t t0 = visibleStart(), t1 = visibleEnd();
    m_data.append(later);
    updatePlotRect();
    // Live, most appends only move the session's end (with every batch): when that moves neither
    // the visible range nor anything drawn, the picture stands (the cursor moves on its own).
    if (later.points.empty() && later.markers.empty() && visibleStart() == t0 && visibleEnd() == t1) return;
    invalidate();
}

void TimelineChart::setLive(bool live) {
    if (m_data.live == live) return;
    m_data.live = live;
    if (!live) m_following = false;
    invalidate();
}

void TimelineChart::setCursorTime(std::int64_t tNs) {
    if (m_dragging || tNs == m_cursorNs) return;
    // Over a picture that stands, only where the cursor was and where it goes are repainted.
    if (m_pictureValid) update(cursorRect(m_cursorNs).united(cursorRect(tNs)));
    else update();
    m_cursorNs = tNs;
}

QRect TimelineChart::cursorRect(std::int64_t tNs) const {
    const double cx = std::round(xForTime(tNs)) + 0.5;
    return QRect(static_cast<int>(std::floor(cx)) - 8, 0, 17, static_cast<int>(std::ceil(plotRect().bottom())) + 3);
}

void TimelineChart::setFollowingLive(bool following) {
    if (m_following == following) return;
    if (!following && m_viewSpanNs != 0) m_viewStartNs = visibleStart(); // keep the zoomed view where it is
    m_following = following;
    invalidate();
}

std::int64_t TimelineChart::rangeEnd() const {
    // A live session is drawn on at least one minute so the first seconds do not fill the width,
    // and beyond it up to the next whole second: its scale (so everything drawn) changes once a
    // second, not with every batch.
    if (!m_data.live) return std::max(m_data.durationNs, kSecond);
    return std::max((m_data.durationNs + kSecond - 1) / kSecond * kSecond, 60 * kSecond);
}

void TimelineChart::setVisibleRange(std::int64_t t0Ns, std::int64_t t1Ns) {
    const std::int64_t end = rangeEnd();
    std::int64_t span = std::max<std::int64_t>(t1Ns - t0Ns, kSecond);
    if (span >= end) {
        fitAll();
        return;
    }
    m_viewSpanNs = span;
    m_viewStartNs = std::clamp<std::int64_t>(t0Ns, 0, end - span);
    invalidate();
}

void TimelineChart::fitAll() {
    m_viewSpanNs = 0;
    m_viewStartNs = 0;
    invalidate();
}

std::int64_t TimelineChart::visibleStart() const {
    if (m_viewSpanNs == 0) return 0;
    if (m_following) return std::max<std::int64_t>(0, m_data.durationNs - m_viewSpanNs);
    return m_viewStartNs;
}

std::int64_t TimelineChart::visibleEnd() const {
    if (m_viewSpanNs == 0) return rangeEnd();
    return visibleStart() + m_viewSpanNs;
}

int TimelineChart::leftAxisWidth() const {
    return std::max(34, fontMetrics().horizontalAdvance(countText(niceCeil(static_cast<std::int64_t>(m_maxCount)))) + 12);
}

int TimelineChart::rightAxisWidth() const {
    return std::max(34, fontMetrics().horizontalAdvance(countText(niceCeil(m_maxMailbox))) + 12);
}

QRectF TimelineChart::plotRect() const { return m_plot; }

void TimelineChart::updatePlotRect() {
    const double left = leftAxisWidth();
    const double right = rightAxisWidth();
    const double top = kTopMargin + kMarkerBand;
    const QRectF plot(left, top, std::max(1.0, width() - left - right), std::max(1.0, height() - top - kTimeAxis));
    if (plot != m_plot) {
        m_plot = plot;
        m_columnsValid = false;
    }
}

double TimelineChart::xForTime(std::int64_t tNs) const {
    const QRectF plot = plotRect();
    const double t0 = static_cast<double>(visibleStart());
    const double span = static_cast<double>(std::max<std::int64_t>(visibleEnd() - visibleStart(), 1));
    return plot.left() + (static_cast<double>(tNs) - t0) / span * plot.width();
}

std::int64_t TimelineChart::timeForX(double x) const {
    const QRectF plot = plotRect();
    const double f = std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0);
    const auto t = visibleStart() + static_cast<std::int64_t>(std::llround(f * static_cast<double>(visibleEnd() - visibleStart())));
    return std::clamp<std::int64_t>(t, 0, std::max<std::int64_t>(m_data.durationNs, 0));
}

void TimelineChart::invalidate() {
    m_columnsValid = false;
    m_pictureValid = false;
    update();
}

void TimelineChart::ensureColumns() const {
    const int n = static_cast<int>(plotRect().width());
    const std::int64_t t0 = visibleStart(), t1 = visibleEnd();
    if (m_columnsValid && static_cast<int>(m_columns.size()) == n && m_columnsT0 == t0 && m_columnsT1 == t1) return;
    m_columns = m_data.decimate(t0, t1, n);
    m_columnsT0 = t0;
    m_columnsT1 = t1;
    m_columnsValid = true;
}

QSize TimelineChart::sizeHint() const { return {900, 130}; }

QSize TimelineChart::minimumSizeHint() const { return {240, 80}; }

void TimelineChart::resizeEvent(QResizeEvent*) {
    updatePlotRect();
    m_pictureValid = false;
}

void TimelineChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) updatePlotRect();
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        m_pictureValid = false;
    QWidget::changeEvent(event);
}

void TimelineChart::paintEvent(QPaintEvent*) {
    const qreal dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize();
    if (!m_pictureValid || m_picture.size() != pixels || m_picture.devicePixelRatio() != dpr || m_pictureT0 != visibleStart() ||
        m_pictureT1 != visibleEnd()) {
        m_picture = QPixmap(pixels);
        m_picture.setDevicePixelRatio(dpr);
        QPainter picture(&m_picture);
        picture.setFont(font()); // as a painter on the widget starts
        picture.setPen(palette().color(foregroundRole()));
        picture.setBackground(palette().brush(backgroundRole()));
        paintPicture(picture);
        m_pictureValid = true;
        m_pictureT0 = visibleStart();
        m_pictureT1 = visibleEnd();
    }
    QPainter p(this);
    p.drawPixmap(0, 0, m_picture);
    const QRectF plot = plotRect();

    // Cursor: a line through band and plot with a handle on top.
    const double cx = std::round(xForTime(m_cursorNs)) + 0.5;
    if (cx >= plot.left() - 0.5 && cx <= plot.right() + 0.5) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(TimelinePalette::cursor(), 1.5));
        p.drawLine(QPointF(cx, kTopMargin + 4), QPointF(cx, plot.bottom()));
        QPolygonF handle{{cx - 5, double(kTopMargin)}, {cx + 5, double(kTopMargin)}, {cx, kTopMargin + 7.0}};
        p.setBrush(TimelinePalette::cursor());
        p.setPen(Qt::NoPen);
        p.drawPolygon(handle);
    }
    if (hasFocus()) {
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void TimelineChart::paintPicture(QPainter& p) const {
    p.fillRect(rect(), palette().base());
    const QRectF plot = plotRect();
    p.setRenderHint(QPainter::Antialiasing, false);

    // Horizontal grid and both value axes (left: processes, right: mailbox), coloured like their series.
    const std::int64_t countTop = niceCeil(static_cast<std::int64_t>(m_maxCount));
    const std::int64_t mailTop = niceCeil(m_maxMailbox);
    const QFontMetrics fm = fontMetrics();
    for (int i = 0; i <= 2; ++i) {
        const double y = plot.bottom() - plot.height() * i / 2.0;
        p.setPen(QPen(TimelinePalette::grid(), 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        const double ty = std::clamp(y, plot.top() + fm.ascent() / 2.0, plot.bottom() - fm.descent());
        p.setPen(TimelinePalette::processes());
        p.drawText(QRectF(0, ty - fm.height() / 2.0, plot.left() - 5, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   countText(countTop * i / 2));
        p.setPen(TimelinePalette::mailbox());
        p.drawText(QRectF(plot.right() + 5, ty - fm.height() / 2.0, width() - plot.right() - 5, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, countText(mailTop * i / 2));
    }
    paintTimeAxis(p, plot);

    if (m_data.points.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter, tr("No samples yet"));
    } else {
        paintSeries(p, plot);
    }
    paintMarkers(p, plot);

    // Plot frame.
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(TimelinePalette::axis(), 1));
    p.setBrush(Qt::NoBrush);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.topLeft(), plot.bottomLeft());
    p.drawLine(plot.topRight(), plot.bottomRight());
}

void TimelineChart::paintTimeAxis(QPainter& p, const QRectF& plot) const {
    static constexpr std::array<std::int64_t, 18> steps{
        kSecond / 10, kSecond / 5, kSecond / 2, kSecond, 2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond,
        30 * kSecond, 60 * kSecond, 120 * kSecond, 300 * kSecond, 600 * kSecond, 900 * kSecond, 1800 * kSecond,
        3600 * kSecond, 7200 * kSecond, 6 * 3600 * kSecond};
    const std::int64_t t0 = visibleStart(), t1 = visibleEnd();
    const QFontMetrics fm = fontMetrics();
    const double minSpacing = fm.horizontalAdvance(QStringLiteral("00:00:00.0")) + 16;
    const double nsPerPx = static_cast<double>(t1 - t0) / plot.width();
    std::int64_t step = steps.back();
    for (auto s : steps)
        if (static_cast<double>(s) / nsPerPx >= minSpacing) {
            step = s;
            break;
        }
    const bool precise = step < kSecond;
    for (std::int64_t t = (t0 + step - 1) / step * step; t <= t1; t += step) {
        const double x = std::round(xForTime(t)) + 0.5;
        p.setPen(QPen(TimelinePalette::grid(), 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(TimelinePalette::axis());
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
        const QString label = precise ? sessionTimeTextPrecise(t) : sessionTimeText(t);
        const double w = fm.horizontalAdvance(label);
        const double lx = std::clamp(x - w / 2, 0.0, width() - w);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QPointF(lx, plot.bottom() + 3 + fm.ascent()), label);
    }
}

void TimelineChart::paintSeries(QPainter& p, const QRectF& plot) const {
    ensureColumns();
    const int n = static_cast<int>(m_columns.size());
    if (n == 0) return;
    const double countTop = static_cast<double>(niceCeil(static_cast<std::int64_t>(m_maxCount)));
    const double mailTop = static_cast<double>(niceCeil(m_maxMailbox));
    auto yCount = [&](std::uint64_t v) { return plot.bottom() - static_cast<double>(v) / countTop * plot.height(); };
    auto yMail = [&](std::int64_t v) { return plot.bottom() - static_cast<double>(v) / mailTop * plot.height(); };

    // Values carried into the view from the last point before it; nothing is drawn before the first
    // point or after the last one.
    const int before = m_data.pointAt(m_columnsT0 - 1);
    bool have = before >= 0;
    std::uint64_t carryCount = have ? m_data.points[static_cast<std::size_t>(before)].processCount : 0;
    std::int64_t carryMail = have ? m_data.points[static_cast<std::size_t>(before)].totalMailbox : 0;
    const std::int64_t lastT = m_data.points.back().tNs;
    const double lastX = xForTime(lastT);

    QPolygonF countLine, mailLine, countArea;
    countLine.reserve(3 * n);
    mailLine.reserve(3 * n);
    // Consecutive equal vertices are dropped: a flat series costs one vertex per change, not three per pixel.
    auto add = [](QPolygonF& line, double x, double y) {
        const qsizetype k = line.size();
        if (k >= 1 && line[k - 1].x() == x && line[k - 1].y() == y) return;
        if (k >= 2 && line[k - 1].y() == y && line[k - 2].y() == y) {
            line[k - 1].setX(x); // extend the horizontal run
            return;
        }
        line << QPointF(x, y);
    };
    for (int c = 0; c < n; ++c) {
        const double x = plot.left() + c + 0.5;
        if (x > lastX + 1) break;
        const TimelineColumn& col = m_columns[static_cast<std::size_t>(c)];
        if (col.filled) {
            if (have) {
                add(countLine, x, yCount(carryCount));
                add(mailLine, x, yMail(carryMail));
            }
            add(countLine, x, yCount(col.maxCount));
            add(countLine, x, yCount(col.minCount));
            add(countLine, x, yCount(col.lastCount));
            add(mailLine, x, yMail(col.maxMailbox));
            add(mailLine, x, yMail(col.minMailbox));
            add(mailLine, x, yMail(col.lastMailbox));
            countArea << QPointF(x, yCount(col.maxCount));
            have = true;
            carryCount = col.lastCount;
            carryMail = col.lastMailbox;
        } else if (have) {
            add(countLine, x, yCount(carryCount));
            add(mailLine, x, yMail(carryMail));
            countArea << QPointF(x, yCount(carryCount));
        }
    }
    if (countArea.isEmpty()) return;
    p.setRenderHint(QPainter::Antialiasing, false);
    QPolygonF area = countArea;
    area << QPointF(countArea.back().x(), plot.bottom()) << QPointF(countArea.front().x(), plot.bottom());
    p.setPen(Qt::NoPen);
    QColor fill = TimelinePalette::processes();
    fill.setAlpha(46);
    p.setBrush(fill);
    p.drawPolygon(area);
    p.setBrush(Qt::NoBrush);
    // Cosmetic one-pixel pens without antialiasing take the raster engine's fast line stroker; a
    // wider pen strokes the up-and-down polyline as a self-overlapping path (about 2 G instructions
    // per paint for a one-hour session). Two passes a pixel apart make the line read as 2 px.
    p.setRenderHint(QPainter::Antialiasing, false);
    auto stroke = [&](const QPolygonF& line, const QColor& color) {
        QPen pen(color, 1);
        pen.setCosmetic(true);
        p.setPen(pen);
        p.drawPolyline(line);
        p.translate(0, -1);
        p.drawPolyline(line);
        p.translate(0, 1);
    };
    stroke(mailLine, TimelinePalette::mailbox());
    stroke(countLine, TimelinePalette::processes());
}

const QPixmap& TimelineChart::markerGlyph(TimelineMarkerKind kind, qreal dpr) const {
    // A restart or abnormal-exit glyph centred on (6.5, 6.5) of a 13 x 13 pixmap: drawn at a whole
    // pixel it is what drawing the shape there gives (markers sit on pixel centres), at the cost of
    // a blit (a long session draws a glyph in nearly every pixel column).
    QPixmap& glyph = m_glyphs[kind == TimelineMarkerKind::Restart ? 0 : 1];
    if (glyph.isNull() || glyph.devicePixelRatio() != dpr) {
        glyph = QPixmap((QSizeF(13, 13) * dpr).toSize());
        glyph.setDevicePixelRatio(dpr);
        glyph.fill(Qt::transparent);
        QPainter g(&glyph);
        g.setRenderHint(QPainter::Antialiasing, true);
        g.setPen(Qt::NoPen);
        g.setBrush(TimelinePalette::marker(kind));
        if (kind == TimelineMarkerKind::Restart) g.drawPolygon(QPolygonF{{2.5, 10.0}, {10.5, 10.0}, {6.5, 3.0}});
        else g.drawEllipse(QPointF(6.5, 6.5), 3.6, 3.6);
    }
    return glyph;
}

void TimelineChart::paintMarkers(QPainter& p, const QRectF& plot) const {
    const std::int64_t t0 = visibleStart(), t1 = visibleEnd();
    auto first = std::lower_bound(m_data.markers.begin(), m_data.markers.end(), t0,
                                  [](const TimelineMarker& m, std::int64_t t) { return m.tNs < t; });
    auto last = std::upper_bound(first, m_data.markers.end(), t1,
                                 [](std::int64_t t, const TimelineMarker& m) { return t < m.tNs; });
    const double crashY = kTopMargin + 7.5;   // give-ups, abnormal exits, resyncs
    const double restartY = kTopMargin + 17.5; // restarts, under the exits that caused them
    // One glyph per kind and pixel column (markers come in time order: a column's come together),
    // found in one pass; drawn by priority so a give-up is never hidden under restarts.
    std::array<std::vector<double>, 4> columns;
    for (auto it = first; it != last; ++it) {
        auto& xs = columns[static_cast<std::size_t>(priority(it->kind))];
        const double x = std::round(xForTime(it->tNs)) + 0.5;
        if (xs.empty() || std::abs(x - xs.back()) >= 1.0) xs.push_back(x);
    }
    const qreal dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const bool stamps = dpr == std::round(dpr) && p.transform().type() <= QTransform::TxTranslate;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const auto kind : {TimelineMarkerKind::Restart, TimelineMarkerKind::Resync, TimelineMarkerKind::AbnormalExit, TimelineMarkerKind::GiveUp}) {
        const QColor color = TimelinePalette::marker(kind);
        for (const double x : columns[static_cast<std::size_t>(priority(kind))]) {
            switch (kind) {
            case TimelineMarkerKind::Restart:
                if (stamps) {
                    p.drawPixmap(QPointF(x - 6.5, restartY - 6.5), markerGlyph(kind, dpr));
                    break;
                }
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                p.drawPolygon(QPolygonF{{x - 4, restartY + 3.5}, {x + 4, restartY + 3.5}, {x, restartY - 3.5}});
                break;
            case TimelineMarkerKind::AbnormalExit:
                if (stamps) {
                    p.drawPixmap(QPointF(x - 6.5, crashY - 6.5), markerGlyph(kind, dpr));
                    break;
                }
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                p.drawEllipse(QPointF(x, crashY), 3.6, 3.6);
                break;
            case TimelineMarkerKind::Resync:
                p.setPen(QPen(color, 1, Qt::DashLine));
                p.drawLine(QPointF(x, crashY), QPointF(x, plot.bottom()));
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                p.drawRect(QRectF(x - 3.5, crashY - 3.5, 7, 7));
                break;
            case TimelineMarkerKind::GiveUp:
                p.setPen(QPen(color, 2));
                p.drawLine(QPointF(x, crashY), QPointF(x, plot.bottom()));
                p.setPen(QPen(Qt::white, 1));
                p.setBrush(color);
                p.drawPolygon(QPolygonF{{x, crashY - 7}, {x + 6, crashY}, {x, crashY + 7}, {x - 6, crashY}});
                break;
            }
        }
    }
}

int TimelineChart::markerAt(const QPoint& pos) const {
    const QRectF plot = plotRect();
    if (pos.y() < 0 || pos.y() > plot.bottom()) return -1;
    const bool inBand = pos.y() < plot.top();
    const std::int64_t ta = timeForX(pos.x() - kHitRadius - 1), tb = timeForX(pos.x() + kHitRadius + 1);
    auto first = std::lower_bound(m_data.markers.begin(), m_data.markers.end(), ta,
                                  [](const TimelineMarker& m, std::int64_t t) { return m.tNs < t; });
    int best = -1;
    int bestPriority = -1;
    double bestDistance = 1e9;
    for (auto it = first; it != m_data.markers.end() && it->tNs <= tb; ++it) {
        const double d = std::abs(xForTime(it->tNs) - pos.x());
        if (d > kHitRadius) continue;
        // In the plot itself only the full-height lines (give-ups) are targets, so scrubbing works.
        if (!inBand && it->kind != TimelineMarkerKind::GiveUp) continue;
        const int pr = priority(it->kind);
        if (pr > bestPriority || (pr == bestPriority && d < bestDistance)) {
            best = static_cast<int>(it - m_data.markers.begin());
            bestPriority = pr;
            bestDistance = d;
        }
    }
    return best;
}

void TimelineChart::scrubTo(double x) {
    const std::int64_t t = timeForX(x);
    m_cursorNs = t;
    update();
    if (t != m_lastSeekNs) {
        m_lastSeekNs = t;
        emit seekRequested(t);
    }
}

void TimelineChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    const int marker = markerAt(event->position().toPoint());
    m_lastSeekNs = -1;
    emit scrubStarted();
    if (marker >= 0) {
        const TimelineMarker& m = m_data.markers[static_cast<std::size_t>(marker)];
        m_cursorNs = m.tNs;
        m_lastSeekNs = m.tNs;
        update();
        emit markerClicked(marker);
        emit seekRequested(m.tNs);
        emit scrubFinished();
        return;
    }
    m_dragging = true;
    scrubTo(event->position().x());
}

void TimelineChart::mouseMoveEvent(QMouseEvent* event) {
    if (!m_dragging) {
        setCursor(markerAt(event->position().toPoint()) >= 0 ? Qt::PointingHandCursor : Qt::IBeamCursor);
        return QWidget::mouseMoveEvent(event);
    }
    scrubTo(event->position().x());
}

void TimelineChart::mouseReleaseEvent(QMouseEvent* event) {
    if (!m_dragging || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    scrubTo(event->position().x());
    m_dragging = false;
    emit scrubFinished();
}

void TimelineChart::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_viewSpanNs != 0) {
        fitAll();
        return;
    }
    mousePressEvent(event);
}

void TimelineChart::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) return QWidget::wheelEvent(event);
    const double factor = std::pow(1.25, -delta / 120.0);
    const std::int64_t t0 = visibleStart(), t1 = visibleEnd();
    const double x = event->position().x();
    const QRectF plot = plotRect();
    const double f = std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0);
    const double anchor = static_cast<double>(t0) + f * static_cast<double>(t1 - t0);
    const double span = static_cast<double>(t1 - t0) * factor;
    setVisibleRange(static_cast<std::int64_t>(anchor - f * span), static_cast<std::int64_t>(anchor + (1 - f) * span));
    event->accept();
}

QString TimelineChart::toolTipAt(const QPoint& pos) const {
    const QRectF plot = plotRect();
    if (pos.x() < plot.left() - kHitRadius || pos.x() > plot.right() + kHitRadius) return {};
    const std::int64_t ta = timeForX(pos.x() - kHitRadius), tb = timeForX(pos.x() + kHitRadius);
    QStringList lines;
    int more = 0;
    if (pos.y() < plot.top() + 4 || markerAt(pos) >= 0) {
        auto it = std::lower_bound(m_data.markers.begin(), m_data.markers.end(), ta,
                                   [](const TimelineMarker& m, std::int64_t t) { return m.tNs < t; });
        for (; it != m_data.markers.end() && it->tNs <= tb; ++it) {
            if (lines.size() >= 8) {
                ++more;
                continue;
            }
            lines << QStringLiteral("%1  %2: %3")
                         .arg(sessionTimeTextPrecise(it->tNs), kindText(it->kind), QString::fromStdString(it->label));
        }
        if (more) lines << tr("... and %1 more").arg(more);
    }
    if (lines.isEmpty()) {
        const std::int64_t t = timeForX(pos.x());
        const int i = m_data.pointAt(t);
        if (i < 0) return sessionTimeTextPrecise(t);
        const TimelinePoint& pt = m_data.points[static_cast<std::size_t>(i)];
        lines << tr("%1  %2 processes, mailbox total %3")
                     .arg(sessionTimeTextPrecise(t))
                     .arg(pt.processCount)
                     .arg(pt.totalMailbox);
    }
    return lines.join('\n');
}

bool TimelineChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace canopy::views
