#pragma once
#include "introspection/session_state.h"
#include <QColor>
#include <QString>
#include <QWidget>

namespace canopy::views {

class SteadyLabel;
struct ChangeBatch;

/// The status-bar widget that always shows where the session stands: a coloured dot and one line
/// (connecting; live with events/s and sample age; resyncing with reason and drops; stale; lost
/// with the reconnect countdown; refused: bad token, or the version mismatch with both versions;
/// replay position / duration; ended). The tooltip holds the full message.
class ConnectionStatusWidget : public QWidget {
    Q_OBJECT
public:
    /// Everything the line is made of.
    struct Status {
        introspection::SessionState state;
        /// `127.0.0.1:4040` or the file name.
        QString target;
        /// Live: structural events per second, and ns since the last sample.
        double eventsPerSecond = 0.0;
        std::int64_t sampleAgeNs = 0;
        /// Replay: position and length (ns of session time).
        std::int64_t timeNs = 0;
        std::int64_t durationNs = 0;
        /// Lost: ms until the next reconnect attempt (-1 = none planned).
        int reconnectInMs = -1;
    };

    /// Shows "Not connected" until the first status.
    explicit ConnectionStatusWidget(QWidget* parent = nullptr);

    /// Shows `status`.
    void setStatus(const Status& status);
    /// Shows the state and figures of a change batch (keeps the target and reconnect countdown).
    void setBatch(const ChangeBatch& batch);
    /// The target named in the texts.
    void setTarget(const QString& target);
    /// Lost: the reconnect countdown (-1 = none).
    void setReconnectIn(int ms);
    const Status& status() const { return m_status; }

    /// The line shown, its colour and the tooltip for `status` (pure functions, for tests).
    static QString textFor(const Status& status);
    static QColor colorFor(const Status& status);
    static QString toolTipFor(const Status& status);
    /// The line and colour shown now.
    QString text() const;
    QColor color() const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();

    Status m_status;
    bool m_hasStatus = false;
    SteadyLabel* m_label = nullptr;
    /// The dot's colour as last painted.
    QColor m_shownColor;
};

} // namespace canopy::views
