#include "views/widgets/steady_label.h"
#include <algorithm>

namespace canopy::views {

SteadyLabel::SteadyLabel(QWidget* parent) : QLabel(parent) {
    setTextFormat(Qt::PlainText);
    m_measure.setTextFormat(Qt::PlainText);
}

bool SteadyLabel::showText(const QString& text) {
    if (text == QLabel::text()) return false;
    setText(text); // a fixed-size label repaints itself only
    // The text's own size (a QLabel's size hint never drops below its minimum size: measured apart).
    if (m_measure.font() != font()) m_measure.setFont(font());
    m_measure.setContentsMargins(contentsMargins());
    m_measure.setMargin(margin());
    m_measure.setText(text);
    const QSize natural(std::max(m_measure.sizeHint().width(), m_floorWidth), m_measure.sizeHint().height());
    const bool fixed = minimumSize() == maximumSize();
    const int width = maximumWidth();
    if (fixed && natural.height() == maximumHeight() && natural.width() <= width && natural.width() * 3 >= width * 2) return false;
    setFixedSize(natural);
    return true;
}

void SteadyLabel::setFloorWidth(int width) {
    m_floorWidth = width;
    setMinimumWidth(std::max(minimumWidth(), width));
}

QSize SteadyLabel::sizeHint() const { return minimumSize() == maximumSize() ? maximumSize() : QLabel::sizeHint(); }

} // namespace canopy::views
