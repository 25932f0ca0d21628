#pragma once
#include "views/model/timeline_data.h"
#include <QPixmap>
#include <QWidget>
#include <array>
#include <vector>

namespace canopy::views {

/// The painted part of the timeline: process count (left axis) and total mailbox (right axis) over
/// session time (mm:ss), event markers, and a cursor the user drags. Paints from a min/max-per-pixel
/// decimation of TimelineData, recomputed only when the data, the size or the visible range change.
/// Wheel zooms around the mouse; double-click shows the whole session.
class TimelineChart : public QWidget {
    Q_OBJECT
public:
    /// An empty chart.
    explicit TimelineChart(QWidget* parent = nullptr);

    /// Replaces the data (opening a file, a new live session).
    void setData(TimelineData data);
    /// Appends newer points and markers (live); cheap when they come in time order. `live` is kept.
    void appendData(const TimelineData& later);
    /// Changes the data's `live` flag (a live session ended, or became live again).
    void setLive(bool live);
    /// The data drawn.
    const TimelineData& data() const { return m_data; }

    /// Moves the cursor (the model's session time). Ignored while the user drags: the cursor stays
    /// under the mouse and replies to earlier seeks never pull it back.
    void setCursorTime(std::int64_t tNs);
    /// Where the cursor is drawn.
    std::int64_t cursorTime() const { return m_cursorNs; }

    /// Live sessions: while following, the visible range keeps the live edge in view.
    void setFollowingLive(bool following);
    bool followingLive() const { return m_following; }

    /// Shows [t0Ns, t1Ns] (clamped to the session; at least 1 s wide).
    void setVisibleRange(std::int64_t t0Ns, std::int64_t t1Ns);
    /// Shows the whole session.
    void fitAll();
    /// The visible range.
    std::int64_t visibleStart() const;
    std::int64_t visibleEnd() const;

    /// The rectangle the series are drawn in (inside the axes).
    QRectF plotRect() const;
    /// x of session time `tNs` in widget coordinates (may be outside the plot).
    double xForTime(std::int64_t tNs) const;
    /// Session time under widget x (clamped to the visible range).
    std::int64_t timeForX(double x) const;
    /// Index in data().markers of the marker drawn under `pos` (the most important one when several
    /// overlap: give-up, abnormal exit, resync, restart), or -1.
    int markerAt(const QPoint& pos) const;
    /// True while the user drags the cursor.
    bool scrubbing() const { return m_dragging; }
    /// The tooltip at `pos`: the markers near it (time, kind, label), else the time and totals there.
    QString toolTipAt(const QPoint& pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    /// The user put the cursor at `tNs` (a click, every step of a drag, a marker click). Emitted
    /// continuously while scrubbing; the receiver coalesces (latest wins).
    void seekRequested(qint64 tNs);
    /// The user pressed on the chart (leaves live following) / released it.
    void scrubStarted();
    void scrubFinished();
    /// The user clicked marker `index` of data().markers (seekRequested is emitted too).
    void markerClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool event(QEvent* event) override;

private:
    std::int64_t rangeEnd() const;
    void ensureColumns() const;
    /// Something drawn changed (data, range, size, fonts): the picture is drawn afresh.
    void invalidate();
    /// Draws everything but the cursor and the focus frame (the cached picture).
    void paintPicture(QPainter& painter) const;
    /// The glyph of a restart or abnormal-exit marker at a device pixel ratio (cached).
    const QPixmap& markerGlyph(TimelineMarkerKind kind, qreal dpr) const;
    /// The pixels the cursor at `tNs` covers (line and handle).
    QRect cursorRect(std::int64_t tNs) const;
    void scrubTo(double x);
    void paintSeries(QPainter& painter, const QRectF& plot) const;
    void paintMarkers(QPainter& painter, const QRectF& plot) const;
    void paintTimeAxis(QPainter& painter, const QRectF& plot) const;
    int leftAxisWidth() const;
    int rightAxisWidth() const;

    TimelineData m_data;
    std::int64_t m_cursorNs = 0;
    std::int64_t m_viewStartNs = 0;
    std::int64_t m_viewSpanNs = 0; ///< 0 = the whole session
    bool m_following = false;
    bool m_dragging = false;
    std::int64_t m_lastSeekNs = -1;
    std::uint64_t m_maxCount = 0;
    std::int64_t m_maxMailbox = 0;
    /// Plot rectangle, recomputed on resize, font change and when the axes' maxima change.
    QRectF m_plot;
    void updatePlotRect();
    mutable bool m_columnsValid = false;
    mutable std::vector<TimelineColumn> m_columns;
    mutable std::int64_t m_columnsT0 = 0;
    mutable std::int64_t m_columnsT1 = 0;
    /// The picture without the cursor (live, the cursor moves with every batch while the data
    /// changes a few times a second), and what it was drawn for.
    QPixmap m_picture;
    mutable std::array<QPixmap, 2> m_glyphs; // restart, abnormal exit
    bool m_pictureValid = false;
    std::int64_t m_pictureT0 = 0;
    std::int64_t m_pictureT1 = 0;
};

} // namespace canopy::views
