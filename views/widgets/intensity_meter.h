#pragma once
#include <QWidget>

namespace canopy::views {

/// A supervisor's restart intensity as a row of cells: `restarts` filled out of `maxRestarts + 1`
/// (the last cell is the give-up); green, amber near the limit, red at it.
class IntensityMeter : public QWidget {
    Q_OBJECT
public:
    explicit IntensityMeter(QWidget* parent = nullptr);

    /// Restarts in the current window and the supervisor's limit (max_restarts).
    void setIntensity(int restarts, int maxRestarts);
    int restarts() const { return m_restarts; }
    int maxRestarts() const { return m_max; }
    /// The colour the meter uses for its filled cells at this level.
    QColor levelColor() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_restarts = 0;
    int m_max = 0;
};

} // namespace canopy::views
