#pragma once
#include "views/model/timeline_data.h"
#include <QWidget>

class QLabel;

namespace canopy::views {

class TimelineChart;
class TransportBar;

/// The timeline panel: transport controls and a legend above a TimelineChart. Owns the playback
/// state the user sees (playing, speed, following the live edge) and turns the user's gestures into
/// requests for the session worker; the worker answers by moving the cursor (setCursorTime).
///
/// Live sessions: the cursor follows the live edge until the user scrubs, steps, pauses or jumps to
/// a crash; then "Live" (or End) brings it back (backToLiveRequested).
/// Keys (when the panel or its chart has focus): Space play/pause, Left/Right step, `[` / `]`
/// previous/next crash, End back to live.
class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    /// An empty replay timeline.
    explicit TimelineWidget(QWidget* parent = nullptr);

    /// Replaces the data; a live data set starts following the live edge.
    void setData(TimelineData data);
    /// Appends newer points and markers (live); the data's `live` flag is kept.
    void appendData(const TimelineData& later);
    /// A live session ended (false: the timeline becomes a replay of what was recorded) or a
    /// replay became live again (true: follows the live edge).
    void setLive(bool live);
    /// The data drawn.
    const TimelineData& data() const;

    /// Moves the cursor to the model's session time (from each change batch).
    void setCursorTime(std::int64_t tNs);
    std::int64_t cursorTime() const;
    /// The worker started or stopped playing (e.g. replay reached the end).
    void setPlaying(bool playing);
    bool isPlaying() const;
    /// Current playback speed (1 = real time).
    double speed() const;
    /// True while a live timeline keeps the cursor at the live edge.
    bool followingLive() const;

    /// The parts, for tests and the main window.
    TimelineChart* chart() const { return m_chart; }
    TransportBar* transportBar() const { return m_transport; }

    QSize sizeHint() const override;

public slots:
    /// Asks to play at the current speed (playRequested).
    void play();
    /// Asks to pause (pauseRequested); a live timeline stops following.
    void pause();
    void togglePlay();
    /// Asks for one step (-1 back, +1 forward); stops following the live edge.
    void step(int direction);
    /// Seeks to the next / previous give-up or abnormal exit after / before the cursor, if any.
    void nextCrash();
    void previousCrash();
    /// Live: follow the live edge again (backToLiveRequested).
    void backToLive();

signals:
    /// Put the model at session time `tNs` (scrub, click, crash jump). Emitted continuously while
    /// scrubbing: coalesce, latest wins.
    void seekRequested(qint64 tNs);
    /// Play from the cursor at `speed` (also emitted when the speed changes while playing).
    void playRequested(double speed);
    void pauseRequested();
    /// One step: -1 back, +1 forward.
    void stepRequested(int direction);
    /// Live: return to the live edge.
    void backToLiveRequested();
    /// The user clicked a marker: the process it names (the supervisor for a give-up), to select.
    void processActivated(quint64 pid);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void leaveLive();
    void refreshControls();
    void jumpTo(const TimelineMarker* marker);
    void fitLegend();

    TimelineChart* m_chart = nullptr;
    TransportBar* m_transport = nullptr;
    int m_shownPlaying = -1; // what the transport bar shows (-1: not set yet)
    int m_shownLive = -1;
    QLabel* m_legend = nullptr;
    bool m_playing = false;
};

} // namespace canopy::views
