#include "views/widgets/intensity_meter.h"
#include <QPainter>
#include <algorithm>

namespace canopy::views {

IntensityMeter::IntensityMeter(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void IntensityMeter::setIntensity(int restarts, int maxRestarts) {
    m_restarts = std::max(restarts, 0);
    m_max = std::max(maxRestarts, 0);
    setToolTip(tr("%1 of %2 restarts allowed in the window; one more and the supervisor gives up")
                   .arg(m_restarts)
                   .arg(m_max));
    updateGeometry();
    update();
}

QColor IntensityMeter::levelColor() const {
    if (m_restarts > m_max) return QColor(0xb7, 0x1c, 0x1c);
    if (m_max > 0 && m_restarts == m_max) return QColor(0xe5, 0x39, 0x35);
    if (m_max > 0 && m_restarts * 3 >= m_max * 2) return QColor(0xef, 0x8f, 0x00);
    return QColor(0x43, 0xa0, 0x47);
}

QSize IntensityMeter::sizeHint() const {
    const int cells = std::clamp(m_max + 1, 1, 12);
    return {cells * 11 + 1, 12};
}

QSize IntensityMeter::minimumSizeHint() const { return sizeHint(); }

void IntensityMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int cells = std::clamp(m_max + 1, 1, 12);
    const double w = (width() - 1.0) / cells;
    // When the limit is above what fits, cells are scaled: each stands for max/cells restarts.
    const double perCell = static_cast<double>(m_max + 1) / cells;
    const QColor on = levelColor();
    for (int i = 0; i < cells; ++i) {
        const QRectF cell(i * w + 0.5, 0.5, w - 2, height() - 1.0);
        const bool filled = (i + 1) * perCell <= m_restarts + 1e-9 || (i == 0 && m_restarts > 0);
        const bool giveUp = i == cells - 1;
        p.setPen(QPen(giveUp ? QColor(0xb7, 0x1c, 0x1c) : palette().color(QPalette::Mid), 1));
        p.setBrush(filled ? on : palette().base().color());
        p.drawRect(cell);
    }
}

} // namespace canopy::views
