#pragma once
#include "introspection/process_record.h"
#include "introspection/session_state.h"
#include "views/export/diagram_tree.h"
#include "views/export/export_options.h"
#include "views/model/change_batch.h"
#include "views/model/diff_result.h"
#include "views/model/process_history.h"
#include "views/model/session_target.h"
#include "views/model/timeline_data.h"
#include <QMainWindow>
#include <QPointer>
#include <memory>
#include <thread>
#include <optional>
#include <utility>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QStackedWidget;
class QThread;

namespace canopy::views {
class ConnectionStatusWidget;
class SteadyLabel;
class DiffPanel;
class InspectorPanel;
class ProcessTableModel;
class SessionWorker;
class TimelineWidget;
class TreeView;
} // namespace canopy::views

namespace canopy::introspection {
class BeamBridge;
} // namespace canopy::introspection

namespace canopy::app {

class DemoHost;
class ProcessTablePanel;
class StartPage;
class WarningBanner;

/// The desktop app's window: the tree canvas in the centre, the inspector and the process table
/// (tabbed with the diff list) on the right, the timeline at the bottom, the connection state in
/// the status bar. It owns the session worker's thread and only ever applies what the worker posts
/// (change batches, diagram trees, timeline data, histories, diffs, results); every request goes to
/// the worker. Destructive commands are confirmed and offered only when the probe allows them.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a session file at `atNs` (negative = its start). A file that is not a session leaves the
    /// window as it was and shows one error (openFailed).
    void openFile(const QString& path, std::int64_t atNs = -1);
    /// Attaches to a live probe.
    void attach(const QString& host, quint16 port, const QString& token);
    /// Attaches to an Erlang/Elixir node (`beam:NAME@HOST[/APP]`): starts canopy-beam off the GUI
    /// thread (cookie from `cookieFile`, "" = ~/.erlang.cookie), then attaches to it; the bridge
    /// runs until another target replaces it. A bridge that cannot start is one error (openFailed).
    void attachBeam(const QString& node, const QString& cookieFile = {});
    /// Runs a demo system in-process and attaches to it; false (with the message shown) when it cannot.
    bool runDemo(const QString& system, double chaos, std::uint64_t seed = 1);
    /// Shows the start page (nothing open).
    void showStartPage();
    /// Error dialogs are replaced by openFailed() / status lines (screenshot mode, tests).
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /// Restores the remembered geometry and dock layout (the app does; tests and screenshots do not).
    void restoreWindowState();

    /// The parts, for tests, benchmarks and the screenshot mode.
    views::TreeView* treeView() const { return m_tree; }
    views::TimelineWidget* timeline() const { return m_timeline; }
    views::InspectorPanel* inspector() const { return m_inspector; }
    views::DiffPanel* diffPanel() const { return m_diff; }
    views::ProcessTableModel* processModel() const { return m_processes; }
    ProcessTablePanel* processPanel() const { return m_table; }
    views::ConnectionStatusWidget* connectionStatus() const { return m_status; }
    WarningBanner* banner() const { return m_banner; }
    StartPage* startPage() const { return m_start; }
    views::SessionWorker* worker() const { return m_worker; }
    /// Batches and diagrams applied so far; the state of the last batch.
    int batchesApplied() const { return m_batches; }
    int diagramsApplied() const { return m_diagrams; }
    const introspection::SessionState& sessionState() const { return m_state; }
    /// Session time shown and the session's length (ns).
    std::int64_t timeNs() const { return m_timeNs; }
    std::int64_t durationNs() const { return m_durationNs; }
    /// True when the timeline shows the whole session (a file read to its end; live: always).
    bool timelineComplete() const;
    /// True when a file's timeline has also been refined by a replay of the whole file (live: always).
    bool timelineRefined() const { return m_live || m_timelineRefined; }
    /// True while a live session offers commands.
    bool commandsEnabled() const { return m_commandsEnabled; }
    /// The last status-bar message (command results, exports, recordings).
    QString lastMessage() const { return m_lastMessage; }
    /// The status bar's growing-mailbox alarm ("" when no mailbox keeps growing).
    QString mailboxAlarmText() const;
    /// The diagram drawn (nullptr before the first).
    std::shared_ptr<const exporting::DiagramTree> diagram() const { return m_diagram; }
    /// The action with this object name (e.g. "kill", "export"), for tests.
    QAction* action(const QString& name) const;
    /// Selects a process everywhere (tree, table, inspector) as a click would.
    void selectProcess(quint64 pid);
    /// Exports the moment shown (the worker renders and writes it; a status message tells the result).
    void exportTo(const QString& path, const exporting::ExportOptions& options);
    /// Selects the first process whose registered name, display name or pid text is `name`.
    bool selectByName(const QString& name);
    /// Compares moments `aNs` and `bNs` of the session (the diff panel's request) once it is shown.
    void diffWhenShown(std::int64_t aNs, std::int64_t bNs) { m_pendingDiff = {aNs, bNs}; }
    /// Selects `name` (as selectByName) as soon as a diagram shows it.
    void selectWhenShown(const QString& name) { m_pendingSelection = name; }
    /// Sends a command after the user confirmed it (tests call it directly).
    void sendCommandConfirmed(const QString& action, quint64 pid);

signals:
    /// A session was opened (its description).
    void sessionOpened(const QString& description);
    /// A file could not be opened (the message shown).
    void openFailed(const QString& message);
    /// A change batch was applied: the GUI thread's CPU time it took (ns).
    void batchApplied(qint64 nsecs);
    /// A diagram tree was handed to the canvas.
    void diagramApplied();
    /// A timeline update was applied.
    void timelineApplied();
    /// A diff was shown, or could not be computed (the message shown in the diff panel).
    void diffShown();
    void diffFailed(const QString& message);
    /// A line went to the status bar (command, export and recording results).
    void statusMessage(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void buildDocks();
    void connectWorker();
    void updateActions();
    void showMessage(const QString& message, int timeoutMs = 8000);
    void openTarget(const views::SessionTarget& target);
    void showSession();
    /// Empties the tree, table, diff and inspector (a new session is about to be shown).
    void clearShownTree();
    void sizeDocks();

    void applyBatch(std::shared_ptr<const views::ChangeBatch> batch);
    void applyDiagram(std::shared_ptr<const exporting::DiagramTree> diagram);
    void applyTimeline(std::shared_ptr<const views::TimelineData> data, bool replace);
    void applyHistory(quint64 pid, std::shared_ptr<const views::ProcessHistory> history);
    void applyDiff(std::shared_ptr<const views::DiffResult> result);
    void onOpened(const QString& description, bool isFile, qint64 durationNs, const QStringList& warnings);
    void onOpenFailed(const QString& message);
    void onTokenRequired(const QString& message);
    void onNodeSelected(const QString& nodeId);
    void refreshInspector();
    void followSelection(const views::ChangeBatch& batch);
    void showContextMenu(quint64 pid, const QString& nodeId, const QPoint& globalPos);

    void chooseFile();
    void chooseTarget(const QString& hostPort = {});
    void onBeamBridge(const QString& node, std::shared_ptr<introspection::BeamBridge> bridge, const QString& error);
    /// Stops the dialog's canopy-beam (on the worker's thread, once its session let go of it).
    void releaseBridge();
    void toggleRecord(bool on);
    void exportDiagram();
    void showDiff();
    void confirmCommand(const QString& action);
    void search(const QString& text);
    void togglePin();
    void setHerdThreshold();
    void updateRecent();

    QThread* m_thread = nullptr;
    views::SessionWorker* m_worker = nullptr;
    std::unique_ptr<DemoHost> m_demo;
    /// canopy-beam for a BEAM node attached from the dialog, and the thread starting one.
    std::shared_ptr<introspection::BeamBridge> m_bridge;
    std::thread m_bridgeStarter;
    bool m_interactive = true;

    QStackedWidget* m_pages = nullptr;
    StartPage* m_start = nullptr;
    WarningBanner* m_banner = nullptr;
    views::TreeView* m_tree = nullptr;
    views::TimelineWidget* m_timeline = nullptr;
    views::InspectorPanel* m_inspector = nullptr;
    views::DiffPanel* m_diff = nullptr;
    views::ProcessTableModel* m_processes = nullptr;
    ProcessTablePanel* m_table = nullptr;
    views::ConnectionStatusWidget* m_status = nullptr;
    views::SteadyLabel* m_position = nullptr;
    /// Mailboxes that keep growing (from the last batch), and the status-bar label that says so.
    std::vector<views::MailboxGrowth> m_growing;
    QLabel* m_mailboxAlarm = nullptr;
    QLineEdit* m_search = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    QDockWidget* m_tableDock = nullptr;
    QDockWidget* m_diffDock = nullptr;
    QDockWidget* m_timelineDock = nullptr;
    QMenu* m_recentMenu = nullptr;

    QAction* m_open = nullptr;
    QAction* m_attach = nullptr;
    QAction* m_record = nullptr;
    QAction* m_export = nullptr;
    QAction* m_diffAction = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_find = nullptr;
    QAction* m_pin = nullptr;
    QAction* m_kill = nullptr;
    QAction* m_terminate = nullptr;
    QAction* m_restart = nullptr;
    QAction* m_close = nullptr;
    QAction* m_reconnect = nullptr;

    views::SessionTarget m_target;
    QString m_description;
    bool m_hasSession = false;
    bool m_live = false;
    bool m_commandsEnabled = false;
    introspection::SessionState m_state;
    std::int64_t m_timeNs = 0;
    std::int64_t m_durationNs = 0;
    bool m_timelineRefined = false;
    int m_batches = 0;
    int m_diagrams = 0;
    std::shared_ptr<const exporting::DiagramTree> m_diagram;
    quint64 m_selectedPid = 0;
    QString m_selectedNode;
    views::ProcessHistory m_history;
    quint64 m_historyPid = 0;
    QString m_lastMessage;
    QStringList m_fileWarnings;
    bool m_docksSized = false;
    QString m_pendingSelection;
    /// The child slot of a selected process that exited (its next process gets selected).
    std::optional<introspection::ProcessRecord> m_followSlot;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_pendingDiff;
};

} // namespace canopy::app
