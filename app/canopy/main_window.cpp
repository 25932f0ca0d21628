#include "app/canopy/main_window.h"
#include "app/canopy/app_settings.h"
#include "app/canopy/demo_host.h"
#include "app/canopy/process_table_panel.h"
#include "app/canopy/start_page.h"
#include "app/canopy/warning_banner.h"
#include "introspection/beam_bridge.h"
#include "introspection/live_source.h"
#include "introspection/snapshot_loader.h"
#include "introspection/token_file.h"
#include "views/model/diff_model.h"
#include "views/model/process_table_model.h"
#include "views/model/session_time_text.h"
#include "views/model/session_worker.h"
#include "views/widgets/attach_dialog.h"
#include "views/widgets/connection_status_widget.h"
#include "views/widgets/diff_panel.h"
#include "views/widgets/export_dialog.h"
#include "views/widgets/inspector_panel.h"
#include "views/widgets/steady_label.h"
#include "views/widgets/timeline_widget.h"
#include "views/widgets/tree_diff_overlay.h"
#include "views/widgets/tree_view.h"
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextDocumentFragment>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>
#include <ctime>

namespace canopy::app {

using introspection::SessionState;
using views::SessionWorker;

namespace {

/// Runs `fn(worker)` on the worker's thread.
template <class Fn>
void onWorker(SessionWorker* worker, Fn&& fn) {
    QMetaObject::invokeMethod(worker, [worker, fn = std::forward<Fn>(fn)]() mutable { fn(worker); }, Qt::QueuedConnection);
}

QString pidText(const introspection::ProcessRecord& r) {
    return QString::fromStdString(r.pidText.empty() ? "<0." + std::to_string(r.pid) + ".0>" : r.pidText);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Canopy"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/canopy.svg")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    resize(1600, 1000);

    m_processes = new views::ProcessTableModel(this);

    m_pages = new QStackedWidget(this);
    m_start = new StartPage(m_pages);
    m_start->setDemosAvailable(DemoHost::available());
    auto* sessionPage = new QWidget(m_pages);
    auto* sessionLayout = new QVBoxLayout(sessionPage);
    sessionLayout->setContentsMargins(0, 0, 0, 0);
    sessionLayout->setSpacing(0);
    m_banner = new WarningBanner(sessionPage);
    sessionLayout->addWidget(m_banner);
    m_tree = new views::TreeView(sessionPage);
    m_tree->setPlaceholderText(tr("Waiting for the first tree…"));
    sessionLayout->addWidget(m_tree, 1);
    m_pages->addWidget(m_start);
    m_pages->addWidget(sessionPage);
    setCentralWidget(m_pages);

    buildActions();
    buildDocks();
    buildMenus();
    buildToolBar();

    m_status = new views::ConnectionStatusWidget(this);
    statusBar()->addWidget(m_status);
    m_mailboxAlarm = new QLabel(this);
    m_mailboxAlarm->setObjectName(QStringLiteral("mailboxAlarm"));
    m_mailboxAlarm->hide();
    connect(m_mailboxAlarm, &QLabel::linkActivated, this, [this] {
        if (!m_growing.empty()) selectProcess(m_growing.front().pid);
    });
    statusBar()->addPermanentWidget(m_mailboxAlarm);
    m_position = new views::SteadyLabel(this);
    m_position->setObjectName(QStringLiteral("positionLabel"));
    m_position->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Room before the size grip as a contents margin: a style sheet padding on this label made the
    // style sheet style draw the text that much further left, cutting off its first digit.
    m_position->setContentsMargins(0, 0, 6, 0);
    statusBar()->addPermanentWidget(m_position);

    SessionWorker::Settings settings;
    settings.herdThreshold = AppSettings::herdThreshold();
    m_worker = new SessionWorker(settings);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("canopy-session"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    connectWorker();

    connect(m_start, &StartPage::openFileRequested, this, [this](const QString& path) {
        if (path.isEmpty()) chooseFile();
        else openFile(path);
    });
    connect(m_start, &StartPage::attachRequested, this, [this](const QString& hostPort) { chooseTarget(hostPort); });
    connect(m_start, &StartPage::demoRequested, this, [this](const QString& system) { runDemo(system, 2.0); });

    showStartPage();
}

MainWindow::~MainWindow() {
    // The worker closes its session (and deletes the live recording) on its own thread; then the
    // demo, whose probe the session was connected to, can stop.
    if (m_bridgeStarter.joinable()) m_bridgeStarter.join(); // at most the bridge's attach deadline
    m_thread->quit();
    m_thread->wait();
    m_demo.reset();
    m_bridge.reset();
}

// ---------------------------------------------------------------------------------------------
// Building

void MainWindow::buildActions() {
    auto make = [this](const QString& name, const QString& text, const QString& icon, const QKeySequence& key,
                       const QString& tip) {
        auto* a = new QAction(icon.isEmpty() ? QIcon() : QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)), text, this);
        a->setObjectName(name);
        if (!key.isEmpty()) a->setShortcut(key);
        a->setToolTip(tip + (key.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(key.toString(QKeySequence::NativeText))));
        a->setStatusTip(tip);
        return a;
    };
    m_open = make(QStringLiteral("open"), tr("Open"), QStringLiteral("open"), QKeySequence::Open, tr("Open a recorded session file"));
    connect(m_open, &QAction::triggered, this, &MainWindow::chooseFile);
    m_attach = make(QStringLiteral("attach"), tr("Attach"), QStringLiteral("attach"), QKeySequence(tr("Ctrl+K")),
                    tr("Attach to a live probe (host:port) or an Erlang/Elixir node (beam:name@host)"));
    connect(m_attach, &QAction::triggered, this, [this] { chooseTarget(); });
    m_record = make(QStringLiteral("record"), tr("Record"), QStringLiteral("record"), QKeySequence(tr("Ctrl+R")),
                    tr("Keep the live recording; click again to save it to a file"));
    m_record->setCheckable(true);
    connect(m_record, &QAction::toggled, this, &MainWindow::toggleRecord);
    m_export = make(QStringLiteral("export"), tr("Export"), QStringLiteral("export"), QKeySequence(tr("Ctrl+E")),
                    tr("Export the tree of this moment as ASCII, DOT, Mermaid, PDF, SVG or PNG"));
    connect(m_export, &QAction::triggered, this, &MainWindow::exportDiagram);
    m_diffAction = make(QStringLiteral("diff"), tr("Diff"), QStringLiteral("diff"), QKeySequence(tr("Ctrl+D")),
                        tr("Compare two moments, or this session with another file"));
    connect(m_diffAction, &QAction::triggered, this, &MainWindow::showDiff);
    m_fit = make(QStringLiteral("fit"), tr("Fit"), QStringLiteral("fit"), QKeySequence(tr("Ctrl+0")), tr("Fit the whole tree in view"));
    connect(m_fit, &QAction::triggered, m_tree, &views::TreeView::fitAll);
    m_zoomIn = make(QStringLiteral("zoomIn"), tr("Zoom in"), QStringLiteral("zoom-in"), QKeySequence::ZoomIn, tr("Zoom in"));
    connect(m_zoomIn, &QAction::triggered, m_tree, &views::TreeView::zoomIn);
    m_zoomOut = make(QStringLiteral("zoomOut"), tr("Zoom out"), QStringLiteral("zoom-out"), QKeySequence::ZoomOut, tr("Zoom out"));
    connect(m_zoomOut, &QAction::triggered, m_tree, &views::TreeView::zoomOut);
    m_find = make(QStringLiteral("find"), tr("Search"), QStringLiteral("search"), QKeySequence::Find,
                  tr("Search the tree by name or pid"));
    m_pin = make(QStringLiteral("pin"), tr("Pin"), QStringLiteral("pin"), QKeySequence(tr("Ctrl+P")),
                 tr("Show only the selected subtree (again: the whole tree)"));
    m_pin->setCheckable(true);
    connect(m_pin, &QAction::triggered, this, &MainWindow::togglePin);
    m_kill = make(QStringLiteral("kill"), tr("Kill"), QStringLiteral("kill"), {}, tr("Send the selected process an exit signal (kill)"));
    connect(m_kill, &QAction::triggered, this, [this] { confirmCommand(QStringLiteral("kill")); });
    m_terminate = make(QStringLiteral("terminate"), tr("Terminate"), QStringLiteral("terminate"), {},
                       tr("Ask the supervisor to terminate the selected child"));
    connect(m_terminate, &QAction::triggered, this, [this] { confirmCommand(QStringLiteral("terminate_child")); });
    m_restart = make(QStringLiteral("restart"), tr("Restart"), QStringLiteral("restart"), {},
                     tr("Ask the supervisor to restart the selected (terminated) child"));
    connect(m_restart, &QAction::triggered, this, [this] { confirmCommand(QStringLiteral("restart_child")); });
    m_close = make(QStringLiteral("close"), tr("Close"), {}, QKeySequence::Close, tr("Close the session"));
    connect(m_close, &QAction::triggered, this, &MainWindow::showStartPage);
    m_reconnect = make(QStringLiteral("reconnect"), tr("Reconnect"), {}, QKeySequence(tr("Ctrl+Shift+R")),
                       tr("Reconnect to the probe now"));
    connect(m_reconnect, &QAction::triggered, this, [this] { onWorker(m_worker, [](SessionWorker* w) { w->reconnectNow(); }); });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addAction(m_attach);
    file->addSeparator();
    file->addAction(m_record);
    file->addAction(m_export);
    file->addSeparator();
    file->addAction(m_close);
    QAction* quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quit"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_fit);
    view->addAction(m_zoomIn);
    view->addAction(m_zoomOut);
    view->addAction(m_find);
    view->addAction(m_pin);
    view->addSeparator();
    view->addAction(tr("Herd threshold…"), this, &MainWindow::setHerdThreshold);
    view->addSeparator();
    for (QDockWidget* dock : {m_inspectorDock, m_tableDock, m_diffDock, m_timelineDock}) view->addAction(dock->toggleViewAction());

    QMenu* session = menuBar()->addMenu(tr("&Session"));
    auto* play = session->addAction(tr("Play / pause"), QKeySequence(Qt::Key_Space), m_timeline, &views::TimelineWidget::togglePlay);
    play->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    session->addAction(tr("Step back"), m_timeline, [this] { m_timeline->step(-1); });
    session->addAction(tr("Step forward"), m_timeline, [this] { m_timeline->step(1); });
    session->addAction(tr("Previous crash"), QKeySequence(Qt::Key_BracketLeft), m_timeline, &views::TimelineWidget::previousCrash);
    session->addAction(tr("Next crash"), QKeySequence(Qt::Key_BracketRight), m_timeline, &views::TimelineWidget::nextCrash);
    session->addAction(tr("Back to live"), QKeySequence(Qt::Key_End), m_timeline, &views::TimelineWidget::backToLive);
    session->addSeparator();
    session->addAction(m_diffAction);
    session->addAction(m_reconnect);

    QMenu* process = menuBar()->addMenu(tr("&Process"));
    process->addAction(m_kill);
    process->addAction(m_terminate);
    process->addAction(m_restart);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("About Canopy"), this, [this] {
        QMessageBox::about(this, tr("About Canopy"),
                           tr("<b>Canopy</b> 0.1 — the observer of Canopy's OTP-style runtime.<br>"
                              "Live supervision trees, recorded sessions, crash replay, diffs and diagram exports."));
    });
    updateRecent();
}

void MainWindow::buildToolBar() {
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(18, 18));
    bar->addAction(m_open);
    bar->addAction(m_attach);
    bar->addAction(m_record);
    bar->addAction(m_export);
    bar->addAction(m_diffAction);
    bar->addSeparator();
    bar->addAction(m_fit);
    bar->addAction(m_zoomIn);
    bar->addAction(m_zoomOut);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("treeSearch"));
    m_search->setPlaceholderText(tr("Search name or pid"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    m_search->setFixedWidth(220);
    bar->addWidget(m_search);
    connect(m_find, &QAction::triggered, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(m_find);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::search);
    connect(m_search, &QLineEdit::returnPressed, m_tree, &views::TreeView::selectNextMatch);
    bar->addAction(m_pin);
    bar->addSeparator();
    bar->addAction(m_kill);
    bar->addAction(m_terminate);
    bar->addAction(m_restart);
}

void MainWindow::buildDocks() {
    m_inspector = new views::InspectorPanel(this);
    m_inspector->setPeerLabeler([this](std::uint64_t pid) {
        if (const auto* row = m_processes->store().find(pid))
            return QString::fromStdString(row->record.displayName()) + QLatin1Char(' ') + pidText(row->record);
        return QStringLiteral("<0.%1.0>").arg(pid);
    });
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    m_table = new ProcessTablePanel(m_processes, this);
    m_tableDock = new QDockWidget(tr("Processes"), this);
    m_tableDock->setObjectName(QStringLiteral("processesDock"));
    m_tableDock->setWidget(m_table);
    addDockWidget(Qt::RightDockWidgetArea, m_tableDock);
    splitDockWidget(m_inspectorDock, m_tableDock, Qt::Vertical);

    m_diff = new views::DiffPanel(this);
    m_diffDock = new QDockWidget(tr("Diff"), this);
    m_diffDock->setObjectName(QStringLiteral("diffDock"));
    m_diffDock->setWidget(m_diff);
    addDockWidget(Qt::RightDockWidgetArea, m_diffDock);
    tabifyDockWidget(m_tableDock, m_diffDock);
    m_tableDock->raise();

    m_timeline = new views::TimelineWidget(this);
    m_timelineDock = new QDockWidget(tr("Timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);


    connect(m_table, &ProcessTablePanel::processSelected, this, &MainWindow::selectProcess);
    connect(m_table, &ProcessTablePanel::contextMenuRequested, this,
            [this](quint64 pid, const QPoint& pos) { showContextMenu(pid, {}, pos); });
    connect(m_inspector, &views::InspectorPanel::processActivated, this, &MainWindow::selectProcess);
    connect(m_tree, &views::TreeView::processSelected, this, [this](quint64 pid) {
        if (pid) selectProcess(pid);
    });
    connect(m_tree, &views::TreeView::nodeSelected, this, &MainWindow::onNodeSelected);
    connect(m_tree, &views::TreeView::layoutApplied, this, [this] {
        // A selection made before its node was drawn (from the table, --select) shows once it is.
        if (m_selectedPid && m_tree->selectedNodeId().isEmpty()) m_tree->selectPid(m_selectedPid);
    });
    connect(m_tree, &views::TreeView::contextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_timeline, &views::TimelineWidget::processActivated, this, &MainWindow::selectProcess);
    connect(m_diff, &views::DiffPanel::itemActivated, this, [this](quint64 pid, const QString&) {
        if (pid && !m_tree->selectPid(pid)) showMessage(tr("That process is not drawn at this moment"));
        else if (pid) selectProcess(pid);
    });
}

void MainWindow::connectWorker() {
    connect(m_worker, &SessionWorker::batchReady, this, &MainWindow::applyBatch);
    connect(m_worker, &SessionWorker::diagramReady, this, &MainWindow::applyDiagram);
    connect(m_worker, &SessionWorker::timelineReady, this, &MainWindow::applyTimeline);
    connect(m_worker, &SessionWorker::timelineRefined, this, [this] { m_timelineRefined = true; });
    connect(m_worker, &SessionWorker::historyReady, this, &MainWindow::applyHistory);
    connect(m_worker, &SessionWorker::diffReady, this, &MainWindow::applyDiff);
    connect(m_worker, &SessionWorker::diffFailed, this, [this](const QString& message) {
        m_diff->setBusy(false);
        m_diff->setError(message);
        emit diffFailed(message);
    });
    connect(m_worker, &SessionWorker::opened, this, &MainWindow::onOpened);
    connect(m_worker, &SessionWorker::openFailed, this, &MainWindow::onOpenFailed);
    connect(m_worker, &SessionWorker::warningsChanged, this, [this](const QStringList& warnings) {
        m_fileWarnings = warnings;
        m_banner->showWarnings(tr("%1 is damaged; what could be read is shown:").arg(m_description), warnings);
    });
    connect(m_worker, &SessionWorker::tokenRequired, this, &MainWindow::onTokenRequired);
    connect(m_worker, &SessionWorker::exportFinished, this, [this](bool ok, const QString& message) {
        showMessage(ok ? tr("Exported %1").arg(message) : tr("Export failed: %1").arg(message));
    });
    connect(m_worker, &SessionWorker::commandFinished, this, [this](bool, const QString& message) { showMessage(message); });
    connect(m_worker, &SessionWorker::playbackChanged, this, [this](bool playing, double) { m_timeline->setPlaying(playing); });
    connect(m_worker, &SessionWorker::recordingChanged, this, [this](bool keeping, const QString& message) {
        const QSignalBlocker block(m_record);
        m_record->setChecked(keeping);
        if (!message.isEmpty()) showMessage(message);
    });
    connect(m_worker, &SessionWorker::reconnectScheduled, this, [this](int ms) { m_status->setReconnectIn(ms); });

    connect(m_timeline, &views::TimelineWidget::seekRequested, this, [this](qint64 t) { m_worker->requestSeek(t); });
    connect(m_timeline, &views::TimelineWidget::playRequested, this,
            [this](double speed) { onWorker(m_worker, [speed](SessionWorker* w) { w->play(speed); }); });
    connect(m_timeline, &views::TimelineWidget::pauseRequested, this,
            [this] { onWorker(m_worker, [](SessionWorker* w) { w->pause(); }); });
    connect(m_timeline, &views::TimelineWidget::stepRequested, this,
            [this](int direction) { onWorker(m_worker, [direction](SessionWorker* w) { w->step(direction); }); });
    connect(m_timeline, &views::TimelineWidget::backToLiveRequested, this,
            [this] { onWorker(m_worker, [](SessionWorker* w) { w->backToLive(); }); });
    connect(m_diff, &views::DiffPanel::diffRequested, this, [this](const views::DiffRequest& request) {
        m_diff->setBusy(true);
        m_diff->setError({});
        onWorker(m_worker, [request](SessionWorker* w) { w->requestDiff(request); });
    });
}

// ---------------------------------------------------------------------------------------------
// Opening

void MainWindow::releaseBridge() {
    if (!m_bridge) return;
    std::shared_ptr<introspection::BeamBridge> previous = std::move(m_bridge);
    onWorker(m_worker, [previous](SessionWorker*) mutable { previous.reset(); });
}

void MainWindow::attachBeam(const QString& node, const QString& cookieFile) {
    if (m_bridgeStarter.joinable()) {
        showMessage(tr("Still starting the previous canopy-beam; try again in a moment"));
        return;
    }
    showMessage(tr("Starting canopy-beam for %1…").arg(node), 0);
    introspection::BeamBridge::Options options;
    options.cookieFile = cookieFile.toStdString();
    // BeamBridge::start waits until canopy-beam listens (up to its deadline): not on the GUI thread.
    // The destructor joins this thread, so the queued answer never reaches a deleted window.
    m_bridgeStarter = std::thread([this, node, options] {
        auto started = introspection::BeamBridge::start(node.toStdString(), options);
        std::shared_ptr<introspection::BeamBridge> bridge;
        QString error;
        if (started) bridge = std::move(*started);
        else error = QString::fromStdString(started.error());
        QMetaObject::invokeMethod(this, [this, node, bridge, error] { onBeamBridge(node, bridge, error); }, Qt::QueuedConnection);
    });
}

void MainWindow::onBeamBridge(const QString& node, std::shared_ptr<introspection::BeamBridge> bridge, const QString& error) {
    if (m_bridgeStarter.joinable()) m_bridgeStarter.join(); // it has posted this and is returning
    std::optional<std::pair<std::string, std::uint16_t>> address;
    std::string token;
    QString why = error;
    if (bridge) {
        auto parsed = introspection::LiveSource::parseHostPort(bridge->address());
        auto read = introspection::resolveToken("", bridge->tokenFile());
        if (!parsed) why = QString::fromStdString(parsed.error());
        else if (!read) why = QString::fromStdString(read.error());
        else {
            address = *parsed;
            token = *read;
        }
    }
    if (!address) {
        const QString message = tr("Cannot attach to %1: %2").arg(node, why);
        showMessage(message);
        if (!m_hasSession) m_start->setMessage(message);
        if (m_interactive) QMessageBox::warning(this, tr("Cannot attach"), message);
        emit openFailed(message);
        return;
    }
    // The old session lets go of the old demo or bridge first, on the worker's thread.
    std::shared_ptr<DemoHost> previousDemo(m_demo.release());
    onWorker(m_worker, [previousDemo](SessionWorker*) mutable { previousDemo.reset(); });
    releaseBridge();
    m_bridge = std::move(bridge);
    attach(QString::fromStdString(address->first), address->second, QString::fromStdString(token));
    showMessage(tr("Attached to %1 through canopy-beam").arg(node));
}

void MainWindow::openTarget(const views::SessionTarget& target) {
    // A bridge the new target does not go through stops.
    if (m_bridge && !(target.kind == views::SessionTarget::Kind::Live &&
                      QStringLiteral("%1:%2").arg(target.host).arg(target.port) == QString::fromStdString(m_bridge->address())))
        releaseBridge();
    if (target.kind == views::SessionTarget::Kind::Live) {
        m_target = target;
        m_hasSession = true;
        m_live = true;
        m_fileWarnings.clear();
        m_banner->dismiss();
        clearShownTree();
        m_status->setTarget(target.describe());
        showSession();
    }
    onWorker(m_worker, [target](SessionWorker* w) { w->open(target); });
}

void MainWindow::openFile(const QString& path, std::int64_t atNs) {
    views::SessionTarget target;
    target.kind = views::SessionTarget::Kind::File;
    target.path = path;
    target.atNs = atNs;
    openTarget(target);
}

void MainWindow::attach(const QString& host, quint16 port, const QString& token) {
    views::SessionTarget target;
    target.kind = views::SessionTarget::Kind::Live;
    target.host = host;
    target.port = port;
    target.token = token;
    openTarget(target);
}

bool MainWindow::runDemo(const QString& system, double chaos, std::uint64_t seed) {
    // The old session goes first (it may be connected to the old demo's probe).
    onWorker(m_worker, [](SessionWorker* w) { w->closeSession(); });
    auto demo = std::make_unique<DemoHost>();
    QString error;
    if (!demo->start(system, chaos, seed, &error)) {
        if (m_interactive) QMessageBox::warning(this, tr("Cannot run the demo"), error);
        emit openFailed(error);
        return false;
    }
    const quint16 port = demo->port();
    const QString token = demo->token();
    const QString description = demo->description();
    // Stop the previous demo only after the worker let go of its probe.
    std::shared_ptr<DemoHost> previous(m_demo.release());
    onWorker(m_worker, [previous](SessionWorker*) mutable { previous.reset(); });
    m_demo = std::move(demo);
    attach(QStringLiteral("127.0.0.1"), port, token);
    m_description = description;
    setWindowTitle(tr("%1 — Canopy").arg(description));
    return true;
}

void MainWindow::clearShownTree() {
    m_processes->clear();
    m_tree->setDiagram(nullptr);
    m_diagram.reset();
    m_diff->model()->clear();
    m_tree->clearDiffOverlay();
    m_selectedPid = 0;
    m_inspector->clear();
}

void MainWindow::showStartPage() {
    onWorker(m_worker, [](SessionWorker* w) { w->closeSession(); });
    m_hasSession = false;
    m_live = false;
    m_commandsEnabled = false;
    clearShownTree();
    m_banner->dismiss();
    updateRecent();
    m_pages->setCurrentWidget(m_start);
    setWindowTitle(tr("Canopy"));
    m_timelineDock->hide();
    m_inspectorDock->hide();
    m_tableDock->hide();
    m_diffDock->hide();
    m_position->clear();
    updateActions();
}

void MainWindow::showSession() {
    const bool first = m_pages->currentIndex() != 1 && !m_docksSized;
    m_pages->setCurrentIndex(1);
    m_start->setMessage({});
    m_timelineDock->show();
    m_inspectorDock->show();
    m_tableDock->show();
    m_diffDock->show();
    m_tableDock->raise();
    if (first) sizeDocks();
    updateActions();
}

void MainWindow::sizeDocks() {
    // Proportions of the window: the tree keeps about two thirds of the width and 70 % of the height.
    m_docksSized = true;
    const int w = std::max(width(), 1000), h = std::max(height(), 700);
    resizeDocks({m_inspectorDock, m_tableDock}, {w * 26 / 100, w * 26 / 100}, Qt::Horizontal);
    resizeDocks({m_inspectorDock, m_tableDock}, {h * 36 / 100, h * 44 / 100}, Qt::Vertical);
    resizeDocks({m_timelineDock}, {std::max(170, h * 19 / 100)}, Qt::Vertical);
}

void MainWindow::restoreWindowState() {
    const QByteArray geometry = AppSettings::windowGeometry();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray state = AppSettings::windowState();
    if (!state.isEmpty() && restoreState(state)) m_docksSized = true;
}

void MainWindow::onOpened(const QString& description, bool isFile, qint64 durationNs, const QStringList& warnings) {
    m_timelineRefined = false;
    if (isFile) {
        m_target = {};
        m_target.kind = views::SessionTarget::Kind::File;
        m_target.path = description;
        m_hasSession = true;
        m_live = false;
        m_commandsEnabled = false;
        clearShownTree();
        m_durationNs = durationNs;
        m_fileWarnings = warnings;
        if (!warnings.isEmpty())
            m_banner->showWarnings(tr("%1 is damaged; it was read up to its last good frame:").arg(QFileInfo(description).fileName()),
                                   warnings);
        else m_banner->dismiss();
        AppSettings::addRecentFile(description);
        updateRecent();
        m_status->setTarget(QFileInfo(description).fileName());
        m_description = QFileInfo(description).fileName();
        setWindowTitle(tr("%1 — Canopy").arg(m_description));
        showSession();
    } else if (!m_demo || m_description.isEmpty() || !windowTitle().contains(m_description)) {
        m_description = description;
        setWindowTitle(tr("%1 — Canopy").arg(description));
    }
    emit sessionOpened(description);
}

void MainWindow::onOpenFailed(const QString& message) {
    // The window stays as it was: one clear error.
    if (!m_hasSession) m_start->setMessage(message);
    if (m_interactive) QMessageBox::warning(this, tr("Cannot open the file"), message);
    else showMessage(message);
    emit openFailed(message);
}

void MainWindow::onTokenRequired(const QString& message) {
    if (!m_interactive) {
        showMessage(message);
        return;
    }
    views::AttachDialog dialog(&AppSettings::store(), this);
    dialog.setMode(views::AttachDialog::Mode::TokenPrompt, message);
    views::AttachTarget t;
    t.host = m_target.host;
    t.port = m_target.port;
    dialog.setTarget(t);
    if (dialog.exec() != QDialog::Accepted) return;
    const views::AttachTarget answer = dialog.target();
    auto token = introspection::resolveToken(answer.token.toStdString(), answer.tokenFile.toStdString());
    if (!token) {
        showMessage(QString::fromStdString(token.error()));
        return;
    }
    const QString value = QString::fromStdString(*token);
    m_target.token = value;
    onWorker(m_worker, [value](SessionWorker* w) { w->setToken(value); });
}

void MainWindow::chooseFile() {
    const QString dir = AppSettings::recentFiles().isEmpty() ? QString() : QFileInfo(AppSettings::recentFiles().first()).absolutePath();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a session file"), dir, tr("Canopy sessions (*.canopy);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::chooseTarget(const QString& hostPort) {
    views::AttachDialog dialog(&AppSettings::store(), this);
    if (!hostPort.isEmpty()) {
        if (auto parsed = views::AttachDialog::parseTarget(hostPort)) dialog.setTarget(*parsed);
    }
    if (dialog.exec() != QDialog::Accepted) return;
    const views::AttachTarget t = dialog.target();
    if (!t.beamNode.isEmpty()) {
        attachBeam(t.beamNode, t.cookieFile);
        updateRecent();
        return;
    }
    auto token = introspection::resolveToken(t.token.toStdString(), t.tokenFile.toStdString());
    if (!token) {
        QMessageBox::warning(this, tr("Cannot attach"), QString::fromStdString(token.error()));
        return;
    }
    m_demo.reset();
    attach(t.host, t.port, QString::fromStdString(*token));
    updateRecent();
}

void MainWindow::updateRecent() {
    const QStringList files = AppSettings::recentFiles();
    if (m_recentMenu) {
        m_recentMenu->clear();
        for (const QString& f : files) m_recentMenu->addAction(f, this, [this, f] { openFile(f); });
        m_recentMenu->setEnabled(!files.isEmpty());
    }
    views::AttachDialog probe(&AppSettings::store());
    m_start->setRecent(files, probe.recentTargets());
}

// ---------------------------------------------------------------------------------------------
// Applying what the worker posts

void MainWindow::applyBatch(std::shared_ptr<const views::ChangeBatch> batch) {
    timespec cpuStart{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart);
    const auto& b = *batch;
    m_processes->applyBatch(b);
    m_tree->applyBatch(b);
    const bool commandsChanged = m_commandsEnabled != b.commandsEnabled;
    const bool stateChanged = m_state.kind != b.state.kind;
    m_state = b.state;
    m_timeNs = b.timeNs;
    m_durationNs = std::max(b.durationNs, b.timeNs);
    m_live = b.live;
    m_commandsEnabled = b.commandsEnabled;
    m_status->setBatch(b);
    m_timeline->setCursorTime(b.timeNs);
    m_tree->setGreyed(b.live && !b.reviewing &&
                      (b.state.kind == SessionState::Kind::Lost || b.state.kind == SessionState::Kind::Ended ||
                       b.state.kind == SessionState::Kind::Refused));
    if (b.growingMailboxes != m_growing) {
        m_growing = b.growingMailboxes;
        if (m_growing.empty()) {
            m_mailboxAlarm->hide();
        } else {
            // The alarm: how many, the fastest in the tooltip; a click selects the fastest.
            const QString text = m_growing.size() == 1 ? tr("▲ 1 mailbox growing") : tr("▲ %1 mailboxes growing").arg(m_growing.size());
            m_mailboxAlarm->setText(QStringLiteral("<a href=\"#growing\" style=\"color:#c62828; font-weight:600; text-decoration:none\">%1</a>")
                                        .arg(text.toHtmlEscaped()));
            QStringList lines;
            for (std::size_t i = 0; i < m_growing.size() && i < 5; ++i) {
                const auto& g = m_growing[i];
                const int row = m_processes->rowOfPid(g.pid);
                const QString name = row >= 0 ? m_processes->text(row, views::ProcessTableModel::Name) : QString();
                const QString pid = row >= 0 ? m_processes->text(row, views::ProcessTableModel::Pid) : QString::number(g.pid);
                lines << tr("%1 %2: %3 messages, +%4/s").arg(name, pid).arg(g.length).arg(qRound64(g.perSecond));
            }
            m_mailboxAlarm->setToolTip(tr("Mailboxes that keep growing (click to select the fastest):\n") + lines.join(u'\n'));
            m_mailboxAlarm->show();
        }
    }
    m_position->showText(tr("%1 processes  ·  %2 / %3")
                            .arg(b.processCount)
                            .arg(views::sessionTimeTextPrecise(b.timeNs), views::sessionTimeTextPrecise(m_durationNs)));
    if (m_selectedPid) followSelection(b);
    if (m_followSlot) {
        // The selected process exited earlier; its slot's next process may arrive in a later batch.
        for (const auto& r : b.records)
            if (r.childId == m_followSlot->childId && r.displayName() == m_followSlot->displayName() && r.kind == m_followSlot->kind &&
                m_processes->store().find(r.pid)) {
                selectProcess(r.pid);
                break;
            }
    }
    m_table->refreshCount();
    ++m_batches;
    m_worker->batchApplied();
    if (commandsChanged || stateChanged) updateActions();
    timespec cpuEnd{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuEnd);
    emit batchApplied((cpuEnd.tv_sec - cpuStart.tv_sec) * 1'000'000'000LL + (cpuEnd.tv_nsec - cpuStart.tv_nsec));
}

void MainWindow::applyDiagram(std::shared_ptr<const exporting::DiagramTree> diagram) {
    m_diagram = diagram;
    m_tree->setDiagram(diagram);
    ++m_diagrams;
    if (!m_pendingSelection.isEmpty() && selectByName(m_pendingSelection)) m_pendingSelection.clear();
    if (m_pendingDiff) {
        views::DiffRequest request;
        request.mode = views::DiffRequest::Mode::Moments;
        request.aNs = m_pendingDiff->first;
        request.bNs = m_pendingDiff->second;
        m_pendingDiff.reset();
        m_diff->setSessionRange(m_durationNs, m_timeNs);
        m_diff->setRequest(request);
        m_diff->compare();
    }
    emit diagramApplied();
}

void MainWindow::applyTimeline(std::shared_ptr<const views::TimelineData> data, bool replace) {
    if (replace) m_timeline->setData(*data);
    else m_timeline->appendData(*data);
    emit timelineApplied();
}

void MainWindow::applyHistory(quint64 pid, std::shared_ptr<const views::ProcessHistory> history) {
    m_history = *history;
    m_historyPid = pid;
    if (pid && pid == m_selectedPid) refreshInspector();
    if (!pid && !m_selectedNode.isEmpty()) onNodeSelected(m_selectedNode);
}

void MainWindow::followSelection(const views::ChangeBatch& b) {
    // A selection whose process went away follows its child slot to the process that took its
    // place (a restart, or a fresh start by a restarted supervisor); else it shows how it ended.
    const introspection::ExitedProcess* gone = nullptr;
    for (const auto& e : b.changes.exited)
        if (e.record.pid == m_selectedPid) gone = &e;
    if (!gone) {
        refreshInspector();
        return;
    }
    quint64 next = 0;
    for (const auto& r : b.changes.restarted)
        if (r.oldPid == m_selectedPid) next = r.newPid;
    if (!next && !gone->record.childId.empty())
        for (const auto& r : b.records)
            if (r.childId == gone->record.childId && r.displayName() == gone->record.displayName() && r.kind == gone->record.kind)
                next = r.pid;
    if (next && m_processes->store().find(next)) {
        selectProcess(next);
        return;
    }
    introspection::ProcessRecord last = gone->record;
    if (!last.childId.empty()) m_followSlot = last; // a static child: its supervisor may start another
    last.status = gone->reason.empty() ? std::string("exited") : "exited: " + gone->reason;
    m_inspector->showProcess(last, m_historyPid == m_selectedPid ? m_history : views::ProcessHistory{});
    m_table->selectPid(0);
    updateActions();
}

void MainWindow::refreshInspector() {
    if (!m_selectedPid) return;
    if (const auto* row = m_processes->store().find(m_selectedPid)) {
        m_inspector->showProcess(row->record, m_historyPid == m_selectedPid ? m_history : views::ProcessHistory{});
    }
}

void MainWindow::applyDiff(std::shared_ptr<const views::DiffResult> result) {
    m_diff->setBusy(false);
    m_diff->setError({});
    m_diff->model()->setListing(result->listing);
    if (result->otherFile) {
        m_tree->clearDiffOverlay();
    } else {
        views::TreeDiffOverlay overlay;
        overlay.caption = tr("diff %1 → %2").arg(views::sessionTimeTextPrecise(result->aNs), views::sessionTimeTextPrecise(result->bNs));
        for (const auto& e : result->listing.entries) {
            switch (e.category) {
            case views::DiffCategory::Added: overlay.added.insert(e.pidAfter); break;
            case views::DiffCategory::Restarted:
                overlay.restarted.insert(e.pidAfter, std::max(1, e.restartsAfter - e.restartsBefore));
                break;
            case views::DiffCategory::Mailbox: overlay.mailboxDelta.insert(e.pid(), e.mailboxAfter - e.mailboxBefore); break;
            case views::DiffCategory::Removed: break;
            }
        }
        for (std::size_t i = 0; i < result->removed.size(); ++i) {
            const auto& r = result->removed[i];
            views::TreeDiffOverlay::Removed removed;
            removed.pid = r.pid;
            removed.parentPid = r.parent;
            if (i < result->removedParentPaths.size()) removed.parentKey = QString::fromStdString(result->removedParentPaths[i]);
            removed.title = QString::fromStdString(r.displayName());
            removed.kind = QString::fromStdString(r.kind);
            overlay.removed.append(removed);
        }
        m_tree->setDiffOverlay(overlay);
    }
    m_diffDock->show();
    m_diffDock->raise();
    emit diffShown();
}

// ---------------------------------------------------------------------------------------------
// Selection and actions

void MainWindow::selectProcess(quint64 pid) {
    m_followSlot.reset();
    m_selectedPid = pid;
    m_selectedNode.clear();
    if (pid) {
        m_tree->selectPid(pid);
        m_table->selectPid(pid);
        refreshInspector();
    } else {
        m_inspector->clear();
    }
    onWorker(m_worker, [pid](SessionWorker* w) { w->select(pid); });
    updateActions();
}

void MainWindow::onNodeSelected(const QString& nodeId) {
    if (!m_diagram) return;
    const exporting::DiagramNode* node = nullptr;
    const exporting::DiagramNode* parent = nullptr;
    const auto& nodes = m_diagram->nodes();
    const std::string id = nodeId.toStdString();
    for (std::size_t i = 0; i < nodes.size() && !node; ++i) {
        if (nodes[i].id == id) node = &nodes[i];
        for (std::size_t c : nodes[i].children)
            if (nodes[c].id == id) {
                node = &nodes[c];
                parent = &nodes[i];
            }
    }
    if (!node) return;
    const bool refresh = m_selectedNode == nodeId;
    if (node->ghost || node->isHerd()) m_followSlot.reset();
    if (node->ghost) {
        m_selectedPid = 0;
        m_selectedNode = nodeId;
        introspection::ProcessRecord slot;
        slot.pid = 0;
        slot.parent = parent && !parent->pids.empty() ? parent->pids.front() : 0;
        const auto slash = node->id.rfind('/');
        slot.childId = slash == std::string::npos ? node->id : node->id.substr(slash + 1);
        slot.kind = node->kind;
        slot.status = "not running";
        m_inspector->showProcess(slot, m_historyPid == 0 ? m_history : views::ProcessHistory{});
        if (!refresh)
            onWorker(m_worker, [sup = slot.parent, child = QString::fromStdString(slot.childId)](SessionWorker* w) {
                w->selectSlot(sup, child);
            });
    } else if (node->isHerd()) {
        m_selectedPid = 0;
        m_selectedNode = nodeId;
        const QList<quint64> members = m_tree->pidsOf(nodeId);
        std::vector<introspection::ProcessRecord> records;
        records.reserve(std::size_t(members.size()));
        for (quint64 pid : members)
            if (const auto* row = m_processes->store().find(pid)) records.push_back(row->record);
        m_inspector->showHerd(QString::fromStdString(node->title), records, m_historyPid == 0 ? m_history : views::ProcessHistory{});
        if (!refresh) onWorker(m_worker, [members](SessionWorker* w) { w->selectHerd(members); });
    } else if (!node->pids.empty() && node->pids.front() != m_selectedPid) {
        selectProcess(node->pids.front());
        return;
    }
    updateActions();
}

void MainWindow::updateActions() {
    const introspection::ProcessRecord* selected = nullptr;
    if (m_selectedPid)
        if (const auto* row = m_processes->store().find(m_selectedPid)) selected = &row->record;
    const bool commands = m_hasSession && m_live && m_commandsEnabled;
    const bool supervised = selected && selected->parent != 0;
    m_kill->setEnabled(commands && selected);
    m_terminate->setEnabled(commands && supervised);
    m_restart->setEnabled(commands && supervised && !selected->childId.empty());
    const QString why = !m_live ? tr(" — only for live sessions")
                                : (!m_commandsEnabled ? tr(" — the probe does not allow commands") : QString());
    m_kill->setStatusTip(tr("Send the selected process an exit signal (kill)") + why);
    m_record->setEnabled(m_hasSession && m_live);
    m_export->setEnabled(m_hasSession);
    m_diffAction->setEnabled(m_hasSession);
    m_fit->setEnabled(m_hasSession);
    m_zoomIn->setEnabled(m_hasSession);
    m_zoomOut->setEnabled(m_hasSession);
    m_pin->setEnabled(m_hasSession);
    m_close->setEnabled(m_hasSession);
    m_reconnect->setEnabled(m_hasSession && m_live);
    m_search->setEnabled(m_hasSession);
}

void MainWindow::confirmCommand(const QString& action) {
    const auto* row = m_processes->store().find(m_selectedPid);
    if (!row) return;
    const auto& r = row->record;
    const QString who = QString::fromStdString(r.displayName()) + QLatin1Char(' ') + pidText(r);
    QString question;
    if (action == QLatin1String("kill"))
        question = tr("Kill %1?\n\nIt receives the exit signal `kill`; its supervisor decides what happens next.").arg(who);
    else if (action == QLatin1String("terminate_child"))
        question = tr("Ask its supervisor to terminate %1?\n\nA static child stays terminated until it is restarted.").arg(who);
    else
        question = tr("Ask its supervisor to restart %1?").arg(who);
    if (m_interactive && QMessageBox::question(this, tr("Confirm"), question, QMessageBox::Yes | QMessageBox::Cancel,
                                               QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    sendCommandConfirmed(action, m_selectedPid);
}

void MainWindow::sendCommandConfirmed(const QString& action, quint64 pid) {
    const auto* row = m_processes->store().find(pid);
    introspection::Command command;
    command.action = action.toStdString();
    command.pid = pid;
    if (row && action != QLatin1String("kill")) {
        command.supervisor = row->record.parent;
        command.childId = row->record.childId;
    }
    onWorker(m_worker, [command](SessionWorker* w) { w->sendCommand(command); });
    showMessage(tr("Sent %1…").arg(action));
}

void MainWindow::showContextMenu(quint64 pid, const QString& nodeId, const QPoint& globalPos) {
    if (pid) {
        selectProcess(pid);
    } else if (!nodeId.isEmpty()) {
        m_tree->selectNode(nodeId);
        onNodeSelected(nodeId);
    }
    QMenu menu(this);
    if (!nodeId.isEmpty() || pid) {
        menu.addAction(m_pin);
        if (!nodeId.isEmpty() && m_tree->pidsOf(nodeId).size() > 1) {
            const bool expanded = m_tree->expandedHerds().contains(nodeId);
            menu.addAction(expanded ? tr("Collapse herd") : tr("Expand herd"), this,
                           [this, nodeId, expanded] { m_tree->setHerdExpanded(nodeId, !expanded); });
        }
    }
    if (pid) {
        menu.addSeparator();
        menu.addAction(m_kill);
        menu.addAction(m_terminate);
        menu.addAction(m_restart);
    }
    if (!menu.isEmpty()) menu.exec(globalPos);
}

void MainWindow::toggleRecord(bool on) {
    if (on) {
        onWorker(m_worker, [](SessionWorker* w) { w->setRecordingKept(true); });
        showMessage(tr("Recording: the live session is kept from its current segment on; click Record again to save it"), 0);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the recording"), QStringLiteral("session.canopy"),
                                                      tr("Canopy sessions (*.canopy)"));
    if (path.isEmpty()) {
        onWorker(m_worker, [](SessionWorker* w) { w->setRecordingKept(false); });
        showMessage(tr("Recording discarded (the bounded live buffer goes on)"));
        return;
    }
    onWorker(m_worker, [path](SessionWorker* w) { w->saveRecording(path); });
}

void MainWindow::exportDiagram() {
    views::ExportDialog dialog(&AppSettings::store(), this);
    dialog.setSubject(tr("%1 at %2").arg(m_description, views::sessionTimeTextPrecise(m_timeNs)));
    if (dialog.exec() != QDialog::Accepted) return;
    exportTo(dialog.path(), dialog.options());
}

void MainWindow::exportTo(const QString& path, const exporting::ExportOptions& options) {
    views::ExportRequest request;
    request.options = options;
    request.path = path;
    request.atNs = m_live ? -1 : m_timeNs;
    showMessage(tr("Exporting %1…").arg(request.path));
    onWorker(m_worker, [request](SessionWorker* w) { w->requestExport(request); });
}

void MainWindow::showDiff() {
    m_diff->setSessionRange(m_durationNs, m_timeNs);
    m_diffDock->show();
    m_diffDock->raise();
}

void MainWindow::search(const QString& text) {
    const QStringList matches = m_tree->find(text.trimmed());
    if (text.trimmed().isEmpty()) statusBar()->clearMessage();
    else showMessage(matches.isEmpty() ? tr("No node matches “%1”").arg(text.trimmed())
                                       : tr("%n match(es) — Enter for the next", "", int(matches.size())),
                     4000);
}

void MainWindow::togglePin() {
    if (!m_tree->pinnedNodeId().isEmpty()) {
        m_tree->unpin();
    } else if (!m_tree->selectedNodeId().isEmpty()) {
        m_tree->pinSubtree(m_tree->selectedNodeId());
    } else {
        showMessage(tr("Select a node to pin its subtree"));
    }
    const QSignalBlocker block(m_pin);
    m_pin->setChecked(!m_tree->pinnedNodeId().isEmpty());
}

void MainWindow::setHerdThreshold() {
    bool ok = false;
    const int value = QInputDialog::getInt(this, tr("Herd threshold"),
                                           tr("Draw same-spec children as one herd node from this many on:"),
                                           AppSettings::herdThreshold(), 2, 100000, 1, &ok);
    if (!ok) return;
    AppSettings::setHerdThreshold(value);
    onWorker(m_worker, [value](SessionWorker* w) { w->setHerdThreshold(value); });
}

QAction* MainWindow::action(const QString& name) const { return findChild<QAction*>(name); }

bool MainWindow::timelineComplete() const {
    if (m_live) return true;
    const auto& points = m_timeline->data().points;
    return !points.empty() && points.back().tNs >= m_durationNs;
}

bool MainWindow::selectByName(const QString& name) {
    const std::string wanted = name.toStdString();
    const auto& store = m_processes->store();
    for (int row = 0; row < store.size(); ++row) {
        const auto& r = store.row(row).record;
        if (r.displayName() == wanted || r.name == wanted || r.pidText == wanted) {
            selectProcess(r.pid);
            return true;
        }
    }
    return false;
}

QString MainWindow::mailboxAlarmText() const {
    return m_mailboxAlarm->isVisible() || !m_growing.empty() ? QTextDocumentFragment::fromHtml(m_mailboxAlarm->text()).toPlainText() : QString();
}

void MainWindow::showMessage(const QString& message, int timeoutMs) {
    m_lastMessage = message;
    statusBar()->showMessage(message, timeoutMs);
    emit statusMessage(message);
}

// ---------------------------------------------------------------------------------------------
// Window events

void MainWindow::closeEvent(QCloseEvent* event) {
    AppSettings::setWindowGeometry(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile()) return;
    openFile(urls.first().toLocalFile());
    event->acceptProposedAction();
}

} // namespace canopy::app
