#pragma once
#include "introspection/command.h"
#include "introspection/result.h"
#include "introspection/tree_snapshot.h"
#include "introspection/session_state.h"
#include "views/export/diagram_tree.h"
#include "views/model/change_batch.h"
#include "views/model/change_batch_builder.h"
#include "views/model/diff_result.h"
#include "views/model/export_request.h"
#include "views/model/history_tracker.h"
#include "views/model/live_recording.h"
#include "views/model/process_history.h"
#include "views/model/session_target.h"
#include "views/model/timeline_accumulator.h"
#include "views/model/timeline_data.h"
#include "views/widgets/diff_request.h"
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

class QTimer;

namespace canopy::introspection {
class Session;
class SessionReader;
} // namespace canopy::introspection

namespace canopy::views {

class TimelineScanner;

/// The session worker: a QObject that lives on its own QThread, owns the Session (a live probe
/// connection or a session file) and everything that reads it, and posts to the GUI thread only
/// prepared data: change batches (at most one every 33 ms, merged while the GUI is busy), the
/// diagram tree when the structure changed (at most 4 Hz), timeline data, inspector histories,
/// diffs, export and command results. The GUI thread never touches the Session.
///
/// Live sessions are always recorded to a bounded temporary file (LiveRecording), so scrubbing back
/// is the same seek as a replay; "back to live" returns to the stream. Lost connections reconnect
/// with backoff; a bad token asks for another (tokenRequired); a version mismatch stops.
///
/// Call the slots through queued connections or QMetaObject::invokeMethod; requestSeek() and
/// batchApplied() may be called from any thread.
class SessionWorker : public QObject {
    Q_OBJECT
public:
    /// Tunables (defaults are what the app uses).
    struct Settings {
        /// Minimum interval between two change batches.
        int batchIntervalMs = 33;
        /// Minimum interval between two diagram builds (layouts).
        int layoutIntervalMs = 250;
        /// Same-spec siblings from which DiagramTree draws a herd.
        int herdThreshold = 12;
        /// Live recording limits.
        LiveRecording::Limits recording;
        /// Longest reconnect backoff.
        int maxReconnectDelayMs = 8000;
        /// Samples per second asked of a live probe.
        double sampleHz = 2.0;
    };

    explicit SessionWorker(QObject* parent = nullptr);
    explicit SessionWorker(Settings settings, QObject* parent = nullptr);
    ~SessionWorker() override;

    /// Thread-safe: asks for the tree at session time `tNs`. Requests coalesce: while a seek runs,
    /// only the latest request is kept.
    void requestSeek(std::int64_t tNs);
    /// Thread-safe: the GUI thread applied a batch (the worker keeps merging while one is in flight).
    void batchApplied();
    /// Registers the metatypes of the signals (call once before connecting across threads).
    static void registerMetaTypes();

public slots:
    /// Opens a live probe or a session file. A file that cannot be opened leaves the current session
    /// as it was (openFailed); a live target replaces it at once (its state shows how it goes).
    void open(const canopy::views::SessionTarget& target);
    /// Closes the session (the live recording is deleted unless it was saved).
    void closeSession();
    /// Replay: plays from the cursor at `speed` (0.25..16); live: starts reviewing (play from the cursor).
    void play(double speed);
    /// Stops playing (live: the view stays where it is).
    void pause();
    /// Changes the speed without starting or stopping.
    void setSpeed(double speed);
    /// One step to the next (+1) or previous (-1) timeline point or marker.
    void step(int direction);
    /// Live: leave the recording and follow the stream again.
    void backToLive();
    /// Same-spec siblings from which a herd is drawn (relayouts).
    void setHerdThreshold(int threshold);
    /// Herds (DiagramNode ids) the user expanded.
    void setExpandedHerds(const QStringList& ids);
    /// The inspector's selection: histories are posted for it (0 / empty = none). A herd passes its members.
    void select(quint64 pid);
    void selectHerd(const QList<quint64>& members);
    void selectSlot(quint64 supervisor, const QString& childId);
    /// Diffs two moments of this session, or this session against another file (diffReady / diffFailed).
    void requestDiff(const canopy::views::DiffRequest& request);
    /// Exports one moment through DiagramExporter and writes the file (exportFinished).
    void requestExport(const canopy::views::ExportRequest& request);
    /// Sends kill / terminate_child / restart_child to a live probe (commandFinished).
    void sendCommand(const canopy::introspection::Command& command);
    /// Record: keep the live recording growing until saveRecording() (recordingChanged).
    void setRecordingKept(bool keep);
    /// Writes what the live recording holds to `path` (recordingChanged with the result).
    void saveRecording(const QString& path);
    /// A new token after a bad-token refusal: reconnects.
    void setToken(const QString& token);
    /// Reconnects now (the user asked; resets the backoff).
    void reconnectNow();

signals:
    /// One batch of changes (apply it, then call batchApplied()).
    void batchReady(std::shared_ptr<const canopy::views::ChangeBatch> batch);
    /// The drawable tree after a structural change (for TreeView::setDiagram).
    void diagramReady(std::shared_ptr<const canopy::exporting::DiagramTree> diagram);
    /// Timeline data: `replace` = the whole timeline (setData), else newer points and markers (appendData).
    void timelineReady(std::shared_ptr<const canopy::views::TimelineData> data, bool replace);
    /// A file's timeline has been refined by replaying the whole file (it was complete, from the
    /// file's index, before; this adds every marker's name and the finer points).
    void timelineRefined();
    /// The recent past of the selection (pid 0 for a herd or slot selection).
    void historyReady(quint64 pid, std::shared_ptr<const canopy::views::ProcessHistory> history);
    /// A diff was computed (Moments: the view has been moved to moment B first).
    void diffReady(std::shared_ptr<const canopy::views::DiffResult> result);
    /// A diff could not be computed (one line).
    void diffFailed(const QString& message);
    /// An export finished: ok and the path, or the error.
    void exportFinished(bool ok, const QString& message);
    /// A command finished (or could not be sent): ok, and one line for the status bar.
    void commandFinished(bool ok, const QString& message);
    /// A session was opened: what it is, whether it is a file, its length, and warnings (corrupt
    /// or truncated file: one line each).
    void opened(const QString& description, bool isFile, qint64 durationNs, const QStringList& warnings);
    /// Reading the file met more problems (a corrupt frame found while seeking, or by the background
    /// scan of the whole file): all warnings so far.
    void warningsChanged(const QStringList& warnings);
    /// A file could not be opened; the previous session is untouched.
    void openFailed(const QString& message);
    /// The probe refused our token: ask the user (then setToken()).
    void tokenRequired(const QString& message);
    /// Playback started / stopped / changed speed.
    void playbackChanged(bool playing, double speed);
    /// Live: the view left (true) or returned to (false) the live stream.
    void reviewChanged(bool reviewing);
    /// Record kept or saved: `keeping`, and a line for the status bar ("" = nothing to say).
    void recordingChanged(bool keeping, const QString& message);
    /// Lost: the next reconnect attempt in `ms` (-1 = none planned).
    void reconnectScheduled(int ms);

private:
    enum class Mode { None, Live, Review, File };

    void service();
    void pumpLive();
    void afterLiveStep();
    void processSeek();
    void seekTo(std::int64_t tNs, bool jump);
    bool enterReview(std::int64_t tNs);
    void leaveReview();
    void playTick();
    void flush(bool force);
    void maybeLayout();
    void buildDiagram();
    void postHistory(bool force);
    void postTimeline(bool replace);
    void scheduleReconnect();
    void startScanner(const std::string& path);
    /// Adds the warnings not shown yet; warningsChanged() when there were any.
    void addWarnings(const std::vector<std::string>& warnings);
    void resetSession();
    void feed(introspection::ChangeSet&& changes, bool markers);
    /// True when a fresh seek to `localNs` finds a keyframe (a damaged file may have moments none reaches).
    static bool readable(introspection::SessionReader& reader, std::int64_t localNs);
    /// The latest moment at or before `localNs` that is readable (0 when none is).
    static std::int64_t lastReadableBefore(introspection::SessionReader& reader, std::int64_t localNs);
    /// The tree at session time `tNs` without moving the view (a separate reader of the file or
    /// of the live recording).
    introspection::Result<introspection::TreeSnapshot> snapshotAtMoment(std::int64_t tNs);

    /// The session whose model the GUI is shown (the replay in Review and File modes).
    introspection::Session* shown() const;
    /// Session time shown (live time base).
    std::int64_t shownTimeNs() const;
    /// Offset from the shown replay's session time to the live session's (Review only).
    std::int64_t m_reviewOffsetNs = 0;

    Settings m_settings;
    Mode m_mode = Mode::None;
    SessionTarget m_target;
    std::unique_ptr<introspection::Session> m_live;
    std::unique_ptr<introspection::Session> m_replay;
    /// Index of the live-recording segment m_replay reads (-1 = the one being written).
    int m_reviewSegment = -1;
    std::unique_ptr<LiveRecording> m_recording;
    std::unique_ptr<TimelineScanner> m_scanner;
    ChangeBatchBuilder m_builder;
    TimelineAccumulator m_timeline;
    HistoryTracker m_history;

    QTimer* m_serviceTimer = nullptr;
    QTimer* m_playTimer = nullptr;
    QTimer* m_reconnectTimer = nullptr;
    QTimer* m_layoutTimer = nullptr;
    QTimer* m_flushTimer = nullptr;
    QElapsedTimer m_sinceBatch;
    QElapsedTimer m_sinceLayout;
    std::uint64_t m_postedShape = 0;
    QElapsedTimer m_sinceTimeline;
    QElapsedTimer m_sinceHistory;
    QElapsedTimer m_playClock;
    bool m_layoutDue = false;
    /// A seek moved the tree: its next diagram goes out without the same-shape delay, sooner.
    bool m_seekDiagramDue = false;
    /// The changes being merged land a jump (the next batch posted says so).
    bool m_jumpPending = false;
    /// The last diagram built had the shape of the one posted before (builds slow to once a second).
    bool m_shapeSettled = false;
    bool m_playing = false;
    double m_speed = 1.0;
    bool m_liveChangedInReview = false;
    int m_reconnectDelayMs = 0;
    introspection::SessionState m_postedState;
    bool m_statePosted = false;
    std::set<std::string> m_expandedHerds;

    std::atomic<int> m_inFlight{0};
    /// The last two batches posted (freed off the GUI thread: see flush()).
    std::deque<std::shared_ptr<const ChangeBatch>> m_postedBatches;
    std::atomic<std::int64_t> m_seekTarget{0};
    std::atomic<bool> m_seekQueued{false};

    quint64 m_selectedPid = 0;
    std::vector<std::uint64_t> m_selectedHerd;
    std::uint64_t m_selectedSupervisor = 0;
    std::string m_selectedChildId;

    /// The file's warnings shown so far (from the replay and the timeline scan, each once).
    QStringList m_warnings;
    /// The length of the replay session's warning list when last looked through (it only grows).
    std::size_t m_replayWarnings = 0;
    /// Which scan a timeline report belongs to (a report queued by the last file's scan is dropped).
    std::uint64_t m_scanGeneration = 0;
    std::uint64_t m_nextCommandId = 1;
    std::map<std::uint64_t, QString> m_pendingCommands;
};

} // namespace canopy::views

Q_DECLARE_METATYPE(std::shared_ptr<const canopy::views::ChangeBatch>)
Q_DECLARE_METATYPE(std::shared_ptr<const canopy::exporting::DiagramTree>)
Q_DECLARE_METATYPE(std::shared_ptr<const canopy::views::TimelineData>)
Q_DECLARE_METATYPE(std::shared_ptr<const canopy::views::ProcessHistory>)
Q_DECLARE_METATYPE(std::shared_ptr<const canopy::views::DiffResult>)
Q_DECLARE_METATYPE(canopy::views::SessionTarget)
Q_DECLARE_METATYPE(canopy::views::ExportRequest)
Q_DECLARE_METATYPE(canopy::introspection::Command)
