#pragma once
#include <QObject>
#include <QString>

class QTimer;

namespace canopy::app {

class MainWindow;

/// `canopy --screenshot OUT.png`: waits until the window shows a tree (a batch applied, a diagram
/// laid out and painted, no layout pending), then `delayMs` more (live sources: let children come
/// and go), renders the whole window into OUT.png and reports the exit code: 0 written; 1 the
/// source failed to open or the PNG could not be written; 2 the deadline passed first.
class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(MainWindow* window, QString path, int delayMs, int deadlineMs, QObject* parent = nullptr);

    /// Starts watching the window (call before the source is opened).
    void start();
    /// Also wait for a diff to be shown (the app was asked for one).
    void setWaitForDiff(bool wait) { m_waitForDiff = wait; }

signals:
    /// The tree is shown for the first time (the delay starts).
    void treeShown();
    /// The screenshot was written (0) or could not be (non-zero); the message says why.
    void finished(int exitCode, const QString& message);

private:
    void check();
    void capture();
    void fail(int code, const QString& message);

    MainWindow* m_window;
    QString m_path;
    int m_delayMs;
    int m_deadlineMs;
    QTimer* m_poll = nullptr;
    QTimer* m_deadline = nullptr;
    bool m_layoutSeen = false;
    bool m_waitForDiff = false;
    bool m_diffSeen = false;
    bool m_done = false;
    qint64 m_readySinceMs = -1;
    qint64 m_elapsedMs = 0;
};

} // namespace canopy::app
