#include "views/widgets/sparkline.h"
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>

namespace canopy::views {

Sparkline::Sparkline(QWidget* parent) : QWidget(parent), m_color(0x00, 0x89, 0x7b) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::setSamples(std::vector<MailboxSample> samples, std::int64_t t0Ns, std::int64_t t1Ns) {
    m_samples = std::move(samples);
    m_t0Ns = t0Ns;
    m_t1Ns = t1Ns;
    update();
}

void Sparkline::setColor(const QColor& color) {
    m_color = color;
    update();
}

QSize Sparkline::sizeHint() const { return {240, 44}; }

QSize Sparkline::minimumSizeHint() const { return {60, 24}; }

void Sparkline::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.setBrush(palette().base());
    p.drawRect(r);
    if (m_samples.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(r, Qt::AlignCenter, tr("no samples"));
        return;
    }
    paint(p, r.adjusted(2, 3, -2, -2), m_samples, m_t0Ns, m_t1Ns, m_color);
}

void Sparkline::paint(QPainter& painter, const QRectF& rect, std::span<const MailboxSample> samples,
                      std::int64_t t0Ns, std::int64_t t1Ns, const QColor& color) {
    if (samples.empty() || rect.width() < 2 || rect.height() < 2) return;
    if (t0Ns < 0) t0Ns = samples.front().tNs;
    if (t1Ns < 0) t1Ns = samples.back().tNs;
    if (t1Ns <= t0Ns) t1Ns = t0Ns + 1;
    std::int64_t top = 1;
    for (const auto& s : samples)
        if (s.tNs >= t0Ns && s.tNs <= t1Ns) top = std::max(top, s.length);
    const double span = static_cast<double>(t1Ns - t0Ns);
    auto xOf = [&](std::int64_t t) {
        return rect.left() + std::clamp(static_cast<double>(t - t0Ns) / span, 0.0, 1.0) * rect.width();
    };
    auto yOf = [&](std::int64_t v) { return rect.bottom() - static_cast<double>(v) / static_cast<double>(top) * rect.height(); };

    // Step line: a value holds until the next sample. Per pixel column keep the extremes only.
    QPolygonF line;
    line.reserve(static_cast<int>(std::min<std::size_t>(samples.size(), static_cast<std::size_t>(rect.width()) * 3)) + 4);
    auto first = std::lower_bound(samples.begin(), samples.end(), t0Ns,
                                  [](const MailboxSample& s, std::int64_t t) { return s.tNs < t; });
    std::int64_t current = first != samples.begin() ? std::prev(first)->length : first->length;
    line << QPointF(first != samples.begin() ? rect.left() : xOf(first->tNs), yOf(current));
    int column = -1;
    std::int64_t lo = 0, hi = 0;
    auto flush = [&](std::int64_t last) {
        if (column < 0) return;
        const double x = rect.left() + column;
        line << QPointF(x, yOf(hi)) << QPointF(x, yOf(lo)) << QPointF(x, yOf(last));
    };
    for (auto it = first; it != samples.end() && it->tNs <= t1Ns; ++it) {
        const int c = static_cast<int>(xOf(it->tNs) - rect.left());
        if (c != column) {
            flush(current);
            line << QPointF(rect.left() + c, yOf(current));
            column = c;
            lo = hi = it->length;
        }
        lo = std::min(lo, it->length);
        hi = std::max(hi, it->length);
        current = it->length;
    }
    flush(current);
    // The last value holds until the end of the span ("now").
    line << QPointF(std::max(rect.right(), line.back().x()), yOf(current));

    QPolygonF area = line;
    area << QPointF(line.back().x(), rect.bottom()) << QPointF(line.front().x(), rect.bottom());
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    QColor fill = color;
    fill.setAlpha(60);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPolygon(area);
    painter.setBrush(Qt::NoBrush);
    QPen pen(color, 1);
    pen.setCosmetic(true); // the raster engine's line stroker (a wide pen strokes the polyline as a path)
    painter.setPen(pen);
    painter.drawPolyline(line);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(line.back(), 2.2, 2.2);
    painter.restore();
}

} // namespace canopy::views
