#include "views/widgets/steady_label.h"
#include <algorithm>

namespace canopy::views {

SteadyLabel::SteadyLabel(QWidget* parent) : QLabel(parent) { setTextFormat(Qt::PlainText); }

bool SteadyLabel::showText(const QString& text) {
    if (text == QLabel::text()) return false;
    setText(text); // a fixed-size label repaints itself only
    const QSize natural(std::max(QLabel::sizeHint().width(), m_floorWidth), QLabel::sizeHint().height());
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
