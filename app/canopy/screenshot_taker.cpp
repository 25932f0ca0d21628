#include "app/canopy/screenshot_taker.h"
#include "app/canopy/main_window.h"
#include "introspection/session_state.h"
#include "views/widgets/tree_view.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

namespace canopy::app {

ScreenshotTaker::ScreenshotTaker(MainWindow* window, QString path, int delayMs, int deadlineMs, QObject* parent)
    : QObject(parent), m_window(window), m_path(std::move(path)), m_delayMs(delayMs), m_deadlineMs(deadlineMs) {}

void ScreenshotTaker::start() {
    connect(m_window->treeView(), &views::TreeView::layoutApplied, this, [this] { m_layoutSeen = true; });
    connect(m_window, &MainWindow::openFailed, this, [this](const QString& message) { fail(1, message); });
    connect(m_window, &MainWindow::diffShown, this, [this] {
        m_diffSeen = true;
        m_readySinceMs = -1; // the tree moves to moment B: the delay starts again
    });
    connect(m_window, &MainWindow::diffFailed, this, [this](const QString& message) {
        if (m_waitForDiff) fail(1, tr("the diff could not be computed: %1").arg(message));
    });
    m_poll = new QTimer(this);
    m_poll->setInterval(50);
    connect(m_poll, &QTimer::timeout, this, &ScreenshotTaker::check);
    m_poll->start();
    m_deadline = new QTimer(this);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        const auto& state = m_window->sessionState();
        QString why = QString::fromStdString(state.message);
        if (why.isEmpty()) why = QString::fromLatin1(introspection::toString(state.kind).data());
        fail(2, tr("the tree was not shown within %1 s (%2 batches, %3 diagrams; session: %4)")
                    .arg(m_deadlineMs / 1000.0)
                    .arg(m_window->batchesApplied())
                    .arg(m_window->diagramsApplied())
                    .arg(why));
    });
    m_deadline->start(m_deadlineMs);
}

void ScreenshotTaker::check() {
    if (m_done) return;
    m_elapsedMs += m_poll->interval();
    const auto kind = m_window->sessionState().kind;
    if (kind == introspection::SessionState::Kind::Refused) {
        fail(1, QString::fromStdString(m_window->sessionState().message));
        return;
    }
    // A probe that cannot be reached (or went away) before its first tree: nothing to picture. An
    // empty window written as if it were the system would be worse than no file.
    if (kind == introspection::SessionState::Kind::Lost && m_readySinceMs < 0) {
        const QString why = QString::fromStdString(m_window->sessionState().message);
        fail(1, why.isEmpty() ? tr("the probe was lost before its first tree") : why);
        return;
    }
    const bool shown = m_window->batchesApplied() > 0 && m_window->diagramsApplied() > 0 && m_layoutSeen &&
                       (!m_waitForDiff || m_diffSeen) &&
                       // A file's timeline is complete at once (from its index); its replay adds names and
                       // finer points: wait a few seconds for that (small files), never past half the deadline.
                       ((m_window->timelineComplete() && (m_window->timelineRefined() || m_elapsedMs > 3000)) ||
                        m_elapsedMs > m_deadlineMs / 2);
    if (!shown) return;
    if (m_readySinceMs < 0) {
        m_readySinceMs = m_elapsedMs;
        emit treeShown();
    }
    const qint64 since = m_elapsedMs - m_readySinceMs;
    if (since < std::max(m_delayMs, 150)) return;
    // A live tree relayouts as it changes: take a moment between layouts, when no node is on its way
    // from one place to another, but do not wait forever.
    if ((m_window->treeView()->layoutPending() || m_window->treeView()->tweening()) && since < m_delayMs + 3000) return;
    capture();
}

void ScreenshotTaker::capture() {
    m_done = true;
    m_poll->stop();
    m_deadline->stop();
    // Labels resized by the last batch (the status bar's clock grows by a digit) are placed by a
    // posted layout request: run it first, or the picture shows a label at its old place and size.
    for (int i = 0; i < 3; ++i) QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QPixmap pixmap = m_window->grab();
    if (pixmap.isNull() || !pixmap.save(m_path, "PNG")) {
        emit finished(1, tr("cannot write %1").arg(m_path));
        return;
    }
    emit finished(0, tr("wrote %1 (%2x%3)").arg(QFileInfo(m_path).absoluteFilePath()).arg(pixmap.width()).arg(pixmap.height()));
}

void ScreenshotTaker::fail(int code, const QString& message) {
    if (m_done) return;
    m_done = true;
    if (m_poll) m_poll->stop();
    if (m_deadline) m_deadline->stop();
    emit finished(code, message);
}

} // namespace canopy::app
