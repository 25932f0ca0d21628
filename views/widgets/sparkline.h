#pragma once
#include "views/model/process_history.h"
#include <QColor>
#include <QWidget>
#include <span>
#include <vector>

namespace canopy::views {

/// A small step chart of a mailbox length over session time (filled area, the last value marked).
/// paint() draws the same into any rectangle, for item delegates.
class Sparkline : public QWidget {
    Q_OBJECT
public:
    /// An empty sparkline.
    explicit Sparkline(QWidget* parent = nullptr);

    /// The samples (oldest first) and the time span to show; t0Ns/t1Ns < 0 = the samples' own span.
    void setSamples(std::vector<MailboxSample> samples, std::int64_t t0Ns = -1, std::int64_t t1Ns = -1);
    const std::vector<MailboxSample>& samples() const { return m_samples; }
    /// Line colour (the fill is a lighter shade).
    void setColor(const QColor& color);

    /// Draws `samples` over [t0Ns, t1Ns] (< 0 = their own span) into `rect`, scaled to the largest
    /// value (at least 1); at most one vertex pair per pixel column, so thousands of samples are cheap.
    static void paint(QPainter& painter, const QRectF& rect, std::span<const MailboxSample> samples,
                      std::int64_t t0Ns, std::int64_t t1Ns, const QColor& color);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<MailboxSample> m_samples;
    std::int64_t m_t0Ns = -1;
    std::int64_t m_t1Ns = -1;
    QColor m_color;
};

} // namespace canopy::views
