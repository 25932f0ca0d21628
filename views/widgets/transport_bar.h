#pragma once
#include "views/widgets/steady_label.h"
#include <QWidget>
#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QToolButton;

namespace canopy::views {

/// Playback controls of the timeline: previous crash, step back, play/pause, step forward, next
/// crash, speed (x0.25 .. x16), "Live" (back to the live edge; live sessions only) and the cursor
/// time `mm:ss.t / mm:ss`. It only reports clicks; TimelineWidget owns the state and tells it what
/// to show. Buttons take no keyboard focus (the timeline's keys stay active).
class TransportBar : public QWidget {
    Q_OBJECT
public:
    /// Controls in their replay state (paused, x1).
    explicit TransportBar(QWidget* parent = nullptr);

    /// The offered speeds: 0.25, 0.5, 1, 2, 4, 8, 16.
    static const std::vector<double>& speeds();

    /// Shows the play or the pause button.
    void setPlaying(bool playing);
    bool isPlaying() const { return m_playing; }
    /// Selects the nearest offered speed (no signal).
    void setSpeed(double speed);
    double speed() const;
    /// Live sessions show the "Live" button; following = at the live edge (button shown checked).
    void setLive(bool live, bool following);
    /// Updates the time label.
    void setTime(std::int64_t cursorNs, std::int64_t durationNs);
    /// Enables the crash buttons when there is a crash before / after the cursor.
    void setCrashNavigation(bool hasPrevious, bool hasNext);

    /// The controls, for tests and styling.
    QToolButton* playButton() const { return m_play; }
    QToolButton* liveButton() const { return m_live; }
    QComboBox* speedBox() const { return m_speed; }
    QLabel* timeLabel() const { return m_time; }

signals:
    void playClicked();
    void pauseClicked();
    /// -1 = step back, +1 = step forward.
    void stepClicked(int direction);
    void previousCrashClicked();
    void nextCrashClicked();
    /// The user picked another speed.
    void speedChanged(double speed);
    void backToLiveClicked();

private:
    bool m_playing = false;
    QToolButton* m_previousCrash = nullptr;
    QToolButton* m_stepBack = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_stepForward = nullptr;
    QToolButton* m_nextCrash = nullptr;
    QComboBox* m_speed = nullptr;
    QToolButton* m_live = nullptr;
    SteadyLabel* m_time = nullptr;
};

} // namespace canopy::views
