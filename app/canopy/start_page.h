#pragma once
#include <QWidget>

class QListWidget;
class QPushButton;
class QLabel;

namespace canopy::app {

/// What the window shows when nothing is open: open a session file, attach to a probe, run a demo
/// (when this build has the runtime), and the recent files and probes.
class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    /// Fills the recent lists.
    void setRecent(const QStringList& files, const QStringList& targets);
    /// Shows the demo buttons (builds with the runtime).
    void setDemosAvailable(bool available);
    /// Shows an error line under the buttons (e.g. a file that is not a session), or "" to clear it.
    void setMessage(const QString& message);

signals:
    /// Open a file: `path`, or ask for one when empty.
    void openFileRequested(const QString& path);
    /// Attach: `hostPort`, or show the attach dialog when empty.
    void attachRequested(const QString& hostPort);
    /// Run a demo system in-process.
    void demoRequested(const QString& system);

private:
    QListWidget* m_files = nullptr;
    QListWidget* m_targets = nullptr;
    QWidget* m_demos = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace canopy::app
