#pragma once
#include <QLabel>

namespace canopy::views {

/// A plain-text label for a text that changes with every change batch (a clock, a rate, a count):
/// it keeps one fixed size, as wide as the widest text lately, so a new text repaints the label
/// and nothing else. A QLabel that sizes itself to each text has the window re-laid out (the
/// status bar's texts cost ~0.3 ms of every frame at 100k processes). It grows at once and
/// shrinks when a text is less than two thirds as wide.
class SteadyLabel : public QLabel {
    Q_OBJECT
public:
    explicit SteadyLabel(QWidget* parent = nullptr);

    /// Shows `text`; true when the label changed its size (its parent may want updateGeometry()).
    bool showText(const QString& text);
    /// The narrowest it gets (e.g. the width of the longest text expected).
    void setFloorWidth(int width);
    /// The fixed size once a text was shown.
    QSize sizeHint() const override;

private:
    int m_floorWidth = 0;
    /// Measures a text's own size (never shown).
    QLabel m_measure;
};

} // namespace canopy::views
