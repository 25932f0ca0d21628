// Observer headers first: introspection/keyframe.h has a member named `slots`, which Qt defines as a
// keyword macro once a Qt header is in.
#include "introspection/session.h"
#include "introspection/session_reader.h"
#include "introspection/snapshot_loader.h"
#include "views/model/session_worker.h"
#include "views/export/diagram_exporter.h"
#include "views/model/diff_result_builder.h"
#include "views/model/session_time_text.h"
#include "views/model/timeline_scanner.h"
#include <QFileInfo>
#include <QFile>
#include <QMetaObject>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <climits>

namespace canopy::views {

using introspection::ChangeSet;
using introspection::Session;
using introspection::SessionState;

namespace {

constexpr int kStepTimeoutMs = 4;
constexpr int kQuietBatchMs = 500;
constexpr int kTimelineIntervalMs = 250;
constexpr int kHistoryIntervalMs = 250;
constexpr int kPlayIntervalMs = 33;
/// Diagrams of an unchanged shape are posted at most this often.
constexpr qint64 kSameShapeIntervalMs = 1000;
// After a seek the tree at the new moment is what the user waits for: its diagram goes out at once
// (however alike its shape: the processes in it are others), scrubbing at most 10 times a second.
constexpr qint64 kSeekLayoutIntervalMs = 100;
/// A seek lands this much earlier and plays up to the target, so recent events show.
constexpr std::int64_t kRecentNs = 1'000'000'000;

bool sameState(const SessionState& a, const SessionState& b) {
    return a.kind == b.kind && a.refusal == b.refusal && a.reason == b.reason && a.drops == b.drops &&
           a.resyncs == b.resyncs && a.message == b.message;
}

QString describeCommand(const introspection::Command& c) {
    if (c.action == "kill") return QStringLiteral("kill <0.%1.0>").arg(c.pid);
    QString target = c.childId.empty() ? QStringLiteral("<0.%1.0>").arg(c.pid) : QString::fromStdString(c.childId);
    return QString::fromStdString(c.action).replace(QLatin1Char('_'), QLatin1Char(' ')) + QLatin1Char(' ') + target;
}

} // namespace

void SessionWorker::registerMetaTypes() {
    qRegisterMetaType<std::shared_ptr<const ChangeBatch>>();
    qRegisterMetaType<std::shared_ptr<const exporting::DiagramTree>>();
    qRegisterMetaType<std::shared_ptr<const TimelineData>>();
    qRegisterMetaType<std::shared_ptr<const ProcessHistory>>();
    qRegisterMetaType<std::shared_ptr<const DiffResult>>();
    qRegisterMetaType<SessionTarget>();
    qRegisterMetaType<ExportRequest>();
    qRegisterMetaType<introspection::Command>();
    qRegisterMetaType<DiffRequest>();
}

SessionWorker::SessionWorker(QObject* parent) : SessionWorker(Settings{}, parent) {}

SessionWorker::SessionWorker(Settings settings, QObject* parent) : QObject(parent), m_settings(settings) {
    registerMetaTypes();
    m_serviceTimer = new QTimer(this);
    m_serviceTimer->setInterval(0);
    connect(m_serviceTimer, &QTimer::timeout, this, &SessionWorker::service);
    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(kPlayIntervalMs);
    m_playTimer->setTimerType(Qt::PreciseTimer);
    connect(m_playTimer, &QTimer::timeout, this, &SessionWorker::playTick);
    m_reconnectTimer = new QTimer(this);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (!m_live) return;
        m_live->reconnect();
        emit reconnectScheduled(-1);
        m_serviceTimer->start();
    });
    m_layoutTimer = new QTimer(this);
    m_layoutTimer->setSingleShot(true);
    connect(m_layoutTimer, &QTimer::timeout, this, &SessionWorker::maybeLayout);
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { flush(false); });
}

SessionWorker::~SessionWorker() { resetSession(); }

// ---------------------------------------------------------------------------------------------
// Thread-safe entry points

void SessionWorker::requestSeek(std::int64_t tNs) {
    m_seekTarget.store(tNs);
    if (!m_seekQueued.exchange(true)) QMetaObject::invokeMethod(this, &SessionWorker::processSeek, Qt::QueuedConnection);
}

void SessionWorker::batchApplied() {
    if (m_inFlight.fetch_sub(1) <= 0) m_inFlight.store(0);
}

// ---------------------------------------------------------------------------------------------
// Opening and closing

void SessionWorker::resetSession() {
    m_serviceTimer->stop();
    m_playTimer->stop();
    m_reconnectTimer->stop();
    m_layoutTimer->stop();
    m_flushTimer->stop();
    m_scanner.reset();
    m_replay.reset();
    if (m_recording && m_live) m_recording->end(*m_live);
    m_recording.reset();
    m_live.reset();
    m_mode = Mode::None;
    m_builder.clear();
    m_postedBatches.clear(); // the old session's (the GUI may still hold the last one)
    m_timeline = TimelineAccumulator{};
    m_history.clear();
    m_playing = false;
    m_layoutDue = false;
    m_seekDiagramDue = false;
    m_jumpPending = false;
    m_shapeSettled = false;
    m_liveChangedInReview = false;
    m_reconnectDelayMs = 0;
    m_statePosted = false;
    m_pendingCommands.clear();
    m_reviewOffsetNs = 0;
    m_reviewSegment = -1;
    m_warnings.clear();
    m_replayWarnings = 0;
    m_postedShape = 0;
}

void SessionWorker::open(const SessionTarget& target) {
    if (target.kind == SessionTarget::Kind::File) {
        auto opened = Session::openFile(target.path.toStdString());
        if (!opened) {
            emit openFailed(QString::fromStdString(opened.error()));
            return;
        }
        resetSession();
        m_target = target;
        m_mode = Mode::File;
        m_replay = std::move(*opened);
        const auto found = m_replay->warnings();
        for (const auto& w : found) m_warnings << QString::fromStdString(w);
        m_replayWarnings = found.size();
        emit this->opened(QString::fromStdString(m_replay->describe()), true, m_replay->durationNs(), m_warnings);
        emit playbackChanged(false, m_speed);
        auto initial = std::make_shared<TimelineData>();
        initial->durationNs = m_replay->durationNs();
        initial->live = false;
        emit timelineReady(initial, true);
        startScanner(target.path.toStdString());
        // Land a moment early and play up to the requested time, so what just happened there (a
        // restart, a give-up) is shown as it happens rather than folded into the opening tree.
        const std::int64_t at = target.atNs < 0 ? 0 : std::min(target.atNs, m_replay->durationNs());
        seekTo(std::max<std::int64_t>(0, at - kRecentNs), true);
        if (at > 0) seekTo(at, false);
        return;
    }
    resetSession();
    m_target = target;
    Session::LiveOptions options;
    options.host = target.host.toStdString();
    options.port = target.port;
    options.token = target.token.toStdString();
    options.sampleHz = m_settings.sampleHz;
    options.client = "canopy 0.1";
    m_live = Session::live(options);
    m_recording = std::make_unique<LiveRecording>(m_settings.recording);
    m_mode = Mode::Live;
    m_timeline.data().live = true;
    emit opened(target.describe(), false, 0, {});
    auto initial = std::make_shared<TimelineData>();
    initial->live = true;
    emit timelineReady(initial, true);
    m_sinceBatch.invalidate();
    m_serviceTimer->start();
}

void SessionWorker::closeSession() {
    resetSession();
    auto batch = std::make_shared<ChangeBatch>();
    batch->changes.reset = true;
    batch->state.kind = SessionState::Kind::Ended;
    batch->state.message = "closed";
    m_inFlight.fetch_add(1);
    emit batchReady(batch);
    emit diagramReady(std::make_shared<exporting::DiagramTree>());
}

void SessionWorker::startScanner(const std::string& path) {
    QPointer<SessionWorker> self(this);
    const std::uint64_t generation = ++m_scanGeneration;
    m_scanner = std::make_unique<TimelineScanner>(path, [self, generation](TimelineData timeline, bool, bool done,
                                                                           std::vector<std::string> warnings) {
        if (!self) return;
        auto data = std::make_shared<TimelineData>(std::move(timeline));
        auto found = std::make_shared<std::vector<std::string>>(std::move(warnings));
        QMetaObject::invokeMethod(
            self.data(),
            [self, data, done, found, generation] {
                if (!self || generation != self->m_scanGeneration || self->m_mode != Mode::File) return;
                self->m_timeline.data() = *data;
                emit self->timelineReady(data, true);
                if (done) emit self->timelineRefined();
                // A corrupt frame anywhere in the file is told at once, not when the replay gets there.
                self->addWarnings(*found);
            },
            Qt::QueuedConnection);
    });
}

void SessionWorker::addWarnings(const std::vector<std::string>& warnings) {
    const qsizetype before = m_warnings.size();
    for (const auto& w : warnings) {
        const QString text = QString::fromStdString(w);
        if (!m_warnings.contains(text)) m_warnings << text;
    }
    if (m_warnings.size() > before) emit warningsChanged(m_warnings);
}

// ---------------------------------------------------------------------------------------------
// Live pumping

introspection::Session* SessionWorker::shown() const {
    if (m_mode == Mode::Review || m_mode == Mode::File) return m_replay.get();
    return m_live.get();
}

std::int64_t SessionWorker::shownTimeNs() const {
    if (m_mode == Mode::Review && m_replay) return m_replay->timeNs() + m_reviewOffsetNs;
    if (auto* s = shown()) return s->timeNs();
    return 0;
}

void SessionWorker::feed(ChangeSet&& changes, bool markers) {
    Session* s = shown();
    if (!s) return;
    const auto& tree = s->model().snapshot();
    if (markers) {
        m_timeline.addChanges(changes, tree);
        m_timeline.addState(s->state(), changes.timeNs);
    }
    m_history.addChanges(changes, tree);
    m_builder.add(std::move(changes));
}

void SessionWorker::service() {
    if (m_live) pumpLive();
    if (m_mode == Mode::Live) flush(false);
}

void SessionWorker::pumpLive() {
    ChangeSet changes = m_live->step(kStepTimeoutMs);
    if (m_mode == Mode::Live) {
        feed(std::move(changes), true);
    } else if (!changes.empty()) {
        // Reviewing: the stream goes on (and into the recording); its markers still reach the timeline.
        m_timeline.addChanges(changes, m_live->model().snapshot());
        m_liveChangedInReview = true;
    }
    afterLiveStep();
}

void SessionWorker::afterLiveStep() {
    const SessionState& state = m_live->state();
    for (const auto& result : m_live->takeCommandResults()) {
        QString what = m_pendingCommands.count(result.id) ? m_pendingCommands[result.id] : QStringLiteral("command");
        m_pendingCommands.erase(result.id);
        emit commandFinished(result.ok, result.ok ? what + tr(": done")
                                                  : what + tr(" failed: ") + QString::fromStdString(result.message));
    }
    if (state.kind == SessionState::Kind::Live) {
        m_reconnectDelayMs = 0;
        if (m_recording && !m_recording->active()) {
            auto st = m_recording->begin(*m_live);
            if (!st) emit recordingChanged(false, tr("live recording unavailable: %1").arg(QString::fromStdString(st.error())));
        }
    }
    if (m_recording && m_recording->active()) {
        const std::string oldest = m_recording->segments().empty() ? std::string() : m_recording->segments().front().path;
        m_recording->maintain(*m_live);
        // Rotation deleted the oldest segment: the timeline no longer reaches before the new oldest.
        if (!m_recording->segments().empty() && !oldest.empty() && m_recording->segments().front().path != oldest) {
            m_timeline.dropBefore(m_recording->oldestNs());
            postTimeline(true);
        }
    }
    m_timeline.setDuration(m_live->durationNs());
    if (m_mode != Mode::Live) {
        m_timeline.addPoint(m_live->timeNs(), m_live->model().snapshot().processes.size(), m_live->model().snapshot().totalMailbox);
        if (m_sinceTimeline.isValid() && m_sinceTimeline.elapsed() >= kTimelineIntervalMs) postTimeline(false);
    }
    if (state.finished()) {
        m_serviceTimer->stop();
        if (m_mode == Mode::Live) flush(true);
        if (state.kind == SessionState::Kind::Refused) {
            if (state.refusal == SessionState::Refusal::BadToken) emit tokenRequired(QString::fromStdString(state.message));
            emit reconnectScheduled(-1);
        } else {
            scheduleReconnect();
        }
    }
}

void SessionWorker::scheduleReconnect() {
    m_reconnectDelayMs = m_reconnectDelayMs == 0 ? 500 : std::min(m_reconnectDelayMs * 2, m_settings.maxReconnectDelayMs);
    m_reconnectTimer->start(m_reconnectDelayMs);
    emit reconnectScheduled(m_reconnectDelayMs);
}

void SessionWorker::reconnectNow() {
    if (!m_live) return;
    m_reconnectTimer->stop();
    m_reconnectDelayMs = 0;
    m_live->reconnect();
    emit reconnectScheduled(-1);
    m_serviceTimer->start();
}

void SessionWorker::setToken(const QString& token) {
    if (!m_live) return;
    m_target.token = token;
    m_reconnectTimer->stop();
    m_reconnectDelayMs = 0;
    m_live->setToken(token.toStdString());
    m_serviceTimer->start();
}

// ---------------------------------------------------------------------------------------------
// Batches, layouts, timeline, histories

void SessionWorker::flush(bool force) {
    Session* s = shown();
    if (!s) return;
    const SessionState& state = (m_live ? m_live->state() : s->state());
    const bool stateChanged = !m_statePosted || !sameState(state, m_postedState);
    const qint64 since = m_sinceBatch.isValid() ? m_sinceBatch.elapsed() : LLONG_MAX;
    if (!m_builder.pending() && !stateChanged && since < kQuietBatchMs) return;
    if (!force && since < m_settings.batchIntervalMs) {
        if (!m_flushTimer->isActive()) m_flushTimer->start(int(m_settings.batchIntervalMs - since));
        return;
    }
    if (m_inFlight.load() > 0) {
        // The GUI has not applied the last batch yet: keep merging and look again soon.
        if (!m_flushTimer->isActive()) m_flushTimer->start(8);
        return;
    }
    const bool structure = m_builder.structureChanged();
    auto batch = std::make_shared<ChangeBatch>(m_builder.take(s->model().snapshot(), state));
    batch->timeNs = shownTimeNs();
    batch->changes.timeNs = batch->timeNs;
    batch->live = m_live != nullptr;
    batch->reviewing = m_mode == Mode::Review;
    batch->replay = m_mode != Mode::Live;
    batch->jump = std::exchange(m_jumpPending, false);
    batch->growingMailboxes = m_history.growingMailboxes();
    if (m_live) {
        batch->durationNs = m_live->durationNs();
        batch->eventsPerSecond = m_live->eventsPerSecond();
        batch->sampleAgeNs = m_live->sampleAgeNs();
        batch->commandsEnabled = m_live->commandsEnabled();
    } else {
        batch->durationNs = s->durationNs();
    }
    m_postedState = state;
    m_statePosted = true;
    m_sinceBatch.start();
    m_inFlight.fetch_add(1);
    emit batchReady(batch);
    // The GUI thread lets go of a batch before it applies the next one, so the batch posted two
    // before this one has only this reference left: it is freed here, not on the GUI thread.
    m_postedBatches.push_back(batch);
    if (m_postedBatches.size() > 2) m_postedBatches.pop_front();
    // Counters held back from this batch go with the next one, even when nothing else comes.
    if (m_builder.pending() && !m_flushTimer->isActive()) m_flushTimer->start(m_settings.batchIntervalMs);
    if (structure) m_layoutDue = true;
    maybeLayout();
    if (m_mode == Mode::Live) {
        m_timeline.addPoint(batch->timeNs, batch->processCount, batch->totalMailbox);
        m_timeline.setDuration(std::max(batch->durationNs, batch->timeNs));
        // Points and markers every 250 ms; the growing right edge with every batch (cheap: no points).
        if (!m_sinceTimeline.isValid() || m_sinceTimeline.elapsed() >= kTimelineIntervalMs) {
            postTimeline(false);
        } else {
            auto edge = std::make_shared<TimelineData>();
            edge->live = true;
            edge->durationNs = m_timeline.data().durationNs;
            emit timelineReady(edge, false);
        }
    }
    postHistory(false);
    if (m_mode == Mode::File) {
        // Looked through only when the replay's list grew (most batches add nothing to it).
        const auto found = s->warnings();
        if (found.size() > m_replayWarnings) {
            m_replayWarnings = found.size();
            addWarnings(found);
        }
    }
}

void SessionWorker::maybeLayout() {
    if (!m_layoutDue || !shown()) return;
    // Building the diagram is linear in the tree (100k processes: the worker's largest cost): while
    // the last build found the shape unchanged (herd members came and went), build once a second.
    const qint64 interval = m_seekDiagramDue ? std::min<qint64>(kSeekLayoutIntervalMs, m_settings.layoutIntervalMs)
                            : m_shapeSettled ? std::max<qint64>(kSameShapeIntervalMs, m_settings.layoutIntervalMs)
                                             : m_settings.layoutIntervalMs;
    if (m_sinceLayout.isValid() && m_sinceLayout.elapsed() < interval) {
        if (m_layoutTimer->isActive() && m_layoutTimer->remainingTime() > interval - m_sinceLayout.elapsed()) m_layoutTimer->stop();
        if (!m_layoutTimer->isActive()) m_layoutTimer->start(int(interval - m_sinceLayout.elapsed()));
        return;
    }
    buildDiagram();
}

namespace {

/// What the canvas lays out: node ids, kinds, strategies, ghosts, herd-or-not and the tree's edges.
/// Herd counts and member pids are not part of it (they never move a box).
std::uint64_t shapeOf(const exporting::DiagramTree& tree) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view text) {
        for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    };
    for (const auto& n : tree.nodes()) {
        mix(n.id);
        mix(n.kind);
        mix(n.strategy);
        mix(n.ghost ? "g" : n.isHerd() ? "h" : "p");
        mix(std::to_string(n.children.size()));
    }
    return h;
}

} // namespace

void SessionWorker::buildDiagram() {
    Session* s = shown();
    if (!s) return;
    m_layoutDue = false;
    m_sinceLayout.start();
    auto diagram = std::make_shared<exporting::DiagramTree>(exporting::DiagramTree::build(
        s->model().snapshot(), true, false, static_cast<std::size_t>(std::max(2, m_settings.herdThreshold))));
    // A tree whose shape did not change (herd members came and went) only refreshes the herds'
    // member lists: maybeLayout() then builds once a second, which spares the GUI a layout at 4 Hz.
    const std::uint64_t shape = shapeOf(*diagram);
    m_seekDiagramDue = false;
    m_shapeSettled = shape == m_postedShape;
    m_postedShape = shape;
    emit diagramReady(diagram);
}

void SessionWorker::postTimeline(bool replace) {
    m_sinceTimeline.start();
    if (replace) {
        m_timeline.takeIncrement();
        emit timelineReady(std::make_shared<TimelineData>(m_timeline.data()), true);
        return;
    }
    if (!m_timeline.dirty()) return;
    emit timelineReady(std::make_shared<TimelineData>(m_timeline.takeIncrement()), false);
}

void SessionWorker::postHistory(bool force) {
    if (!force && m_sinceHistory.isValid() && m_sinceHistory.elapsed() < kHistoryIntervalMs) return;
    Session* s = shown();
    if (!s) return;
    const auto& tree = s->model().snapshot();
    const std::int64_t now = shownTimeNs();
    if (m_selectedPid) {
        m_sinceHistory.start();
        emit historyReady(m_selectedPid, std::make_shared<ProcessHistory>(m_history.processHistory(m_selectedPid, tree, now)));
    } else if (!m_selectedHerd.empty()) {
        m_sinceHistory.start();
        emit historyReady(0, std::make_shared<ProcessHistory>(m_history.herdHistory(m_selectedHerd, tree, now)));
    } else if (m_selectedSupervisor) {
        m_sinceHistory.start();
        emit historyReady(0, std::make_shared<ProcessHistory>(m_history.slotHistory(m_selectedSupervisor, m_selectedChildId, now)));
    }
}

void SessionWorker::select(quint64 pid) {
    m_selectedPid = pid;
    m_selectedHerd.clear();
    m_selectedSupervisor = 0;
    postHistory(true);
}

void SessionWorker::selectHerd(const QList<quint64>& members) {
    m_selectedPid = 0;
    m_selectedHerd.assign(members.begin(), members.end());
    m_selectedSupervisor = 0;
    postHistory(true);
}

void SessionWorker::selectSlot(quint64 supervisor, const QString& childId) {
    m_selectedPid = 0;
    m_selectedHerd.clear();
    m_selectedSupervisor = supervisor;
    m_selectedChildId = childId.toStdString();
    postHistory(true);
}

void SessionWorker::setHerdThreshold(int threshold) {
    threshold = std::max(2, threshold);
    if (threshold == m_settings.herdThreshold) return;
    m_settings.herdThreshold = threshold;
    if (shown()) {
        m_sinceLayout.invalidate();
        m_layoutDue = true;
        maybeLayout();
    }
}

void SessionWorker::setExpandedHerds(const QStringList& ids) {
    std::set<std::string> next;
    for (const auto& id : ids) next.insert(id.toStdString());
    if (next == m_expandedHerds) return;
    m_expandedHerds = std::move(next);
    if (shown()) {
        m_sinceLayout.invalidate();
        m_layoutDue = true;
        maybeLayout();
    }
}

// ---------------------------------------------------------------------------------------------
// Seeking, playing, reviewing

void SessionWorker::processSeek() {
    m_seekQueued.store(false);
    const std::int64_t target = m_seekTarget.load();
    if (m_mode == Mode::None) return;
    if (m_playing) pause();
    seekTo(target, true);
}

bool SessionWorker::enterReview(std::int64_t tNs) {
    if (!m_live || !m_recording || !m_recording->active()) return false;
    // Which segment holds tNs: the one being written (openRecorded) or an older, closed one.
    const auto& segments = m_recording->segments();
    int segment = -1;
    for (int i = int(segments.size()) - 2; i >= 0; --i)
        if (segments[std::size_t(i)].closed && tNs < segments[std::size_t(i) + 1].startNs) segment = i;
    if (segment < 0 && m_mode == Mode::Review && m_reviewSegment == -1 && m_replay &&
        tNs - m_reviewOffsetNs <= m_replay->durationNs())
        return true; // the open replay of the current segment still reaches tNs
    if (segment >= 0 && m_mode == Mode::Review && m_reviewSegment == segment && m_replay) return true;
    std::unique_ptr<Session> replay;
    if (segment < 0) {
        auto recorded = m_live->openRecorded();
        if (!recorded) {
            emit recordingChanged(m_recording->keeping(), tr("cannot scrub back: %1").arg(QString::fromStdString(recorded.error())));
            return false;
        }
        replay = std::move(*recorded);
    } else {
        auto file = Session::openFile(segments[std::size_t(segment)].path);
        if (!file) {
            emit recordingChanged(m_recording->keeping(), tr("cannot scrub back: %1").arg(QString::fromStdString(file.error())));
            return false;
        }
        replay = std::move(*file);
    }
    // Both clocks are the probe's: the replay's session time plus this offset is the live session time.
    std::int64_t replayStart = replay->model().startNs();
    if (auto* reader = replay->reader()) replayStart = reader->startNs();
    m_reviewOffsetNs = replayStart - m_live->model().startNs();
    m_replay = std::move(replay);
    m_reviewSegment = segment;
    if (m_mode != Mode::Review) {
        m_mode = Mode::Review;
        m_liveChangedInReview = false;
        emit reviewChanged(true);
    }
    m_builder.clear();
    return true;
}

void SessionWorker::leaveReview() {
    m_playTimer->stop();
    m_playing = false;
    m_replay.reset();
    m_reviewSegment = -1;
    m_reviewOffsetNs = 0;
    m_mode = Mode::Live;
    // The GUI shows an older tree: give it the live one whole (no animation from the jump).
    m_builder.clear();
    ChangeSet reset;
    reset.reset = true;
    reset.timeNs = m_live->timeNs();
    m_builder.add(std::move(reset));
    m_history.clear();
    emit reviewChanged(false);
    emit playbackChanged(false, m_speed);
    flush(true);
    m_layoutDue = true;
    m_sinceLayout.invalidate();
    maybeLayout();
}

void SessionWorker::seekTo(std::int64_t tNs, bool jump) {
    if (m_mode == Mode::Live || m_mode == Mode::Review) {
        if (!m_live) return;
        if (m_mode == Mode::Live && tNs >= m_live->timeNs()) return; // already at the live edge
        if (!enterReview(tNs)) return;
    }
    if (!m_replay) return;
    const std::int64_t local = std::max<std::int64_t>(0, tNs - m_reviewOffsetNs);
    const std::int64_t current = m_replay->timeNs();
    ChangeSet changes;
    if (local >= current && (!jump || local - current <= kRecentNs)) {
        // A short step forward plays what happened in between. If it merges into a landing batch
        // not posted yet (the GUI was still applying the last one), the batch is not a jump: its
        // effects run, as before jumps were told apart (opening a file at a moment does this).
        changes = m_replay->advanceTo(local);
        m_jumpPending = false;
    } else {
        // Anything else lands at the moment: the GUI shows it in one state (ChangeBatch::jump), with
        // effects only for what is recent enough to be still showing there.
        m_jumpPending = true;
        if (jump && local > kRecentNs) {
            // A jump lands a moment early and plays the last second, so what just happened there
            // (a restart, a give-up) shows as it would have live, at its age.
            changes = m_replay->seek(local - kRecentNs);
            changes.append(m_replay->advanceTo(local));
        } else {
            changes = m_replay->seek(local);
        }
    }
    // A damaged file can have moments no keyframe reaches (a corrupt keyframe): show the last moment
    // that can be read instead of a tree that only pretends to be at the time asked for.
    if (auto* reader = m_replay->reader(); reader && !m_replay->warnings().empty() && !readable(*reader, local)) {
        const std::int64_t last = lastReadableBefore(*reader, local);
        changes.append(m_replay->seek(last));
    }
    if (jump) m_history.clear();
    m_seekDiagramDue = true;
    feed(std::move(changes), false);
    flush(true);
    if (!m_layoutDue) m_seekDiagramDue = false; // the structure did not change: nothing to hurry
}

bool SessionWorker::readable(introspection::SessionReader& reader, std::int64_t localNs) {
    introspection::SessionModel scratch;
    scratch.setStartNs(reader.startNs());
    auto offset = reader.seek(localNs, scratch);
    return offset.ok() && scratch.hasBase() && !scratch.needsKeyframe();
}

std::int64_t SessionWorker::lastReadableBefore(introspection::SessionReader& reader, std::int64_t localNs) {
    // Just before each keyframe at or before the moment, walking back: the one before it and the
    // deltas after it (skipping the damaged frame) may still reach there.
    const auto& entries = reader.index();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const std::int64_t at = it->timeNs - reader.startNs();
        if (at > localNs) continue;
        const std::int64_t candidate = std::max<std::int64_t>(0, at - 1);
        if (readable(reader, candidate)) return candidate;
    }
    return 0;
}

void SessionWorker::play(double speed) {
    setSpeed(speed);
    if (m_mode == Mode::Live) {
        // Playing while following the stream: nothing to do.
        emit playbackChanged(false, m_speed);
        return;
    }
    if (!m_replay) return;
    if (m_mode == Mode::File && m_replay->timeNs() >= m_replay->durationNs()) seekTo(0, true);
    m_playing = true;
    m_playClock.start();
    m_playTimer->start();
    emit playbackChanged(true, m_speed);
}

void SessionWorker::pause() {
    const bool was = m_playing;
    m_playing = false;
    m_playTimer->stop();
    if (was || m_mode != Mode::Live) emit playbackChanged(false, m_speed);
    if (m_mode == Mode::Live && m_live) {
        // Pausing a live view freezes it at the current moment: review from the recording.
        if (enterReview(m_live->timeNs())) seekTo(m_live->timeNs(), false);
    }
}

void SessionWorker::setSpeed(double speed) {
    m_speed = std::clamp(speed, 0.25, 16.0);
    if (m_playing) emit playbackChanged(true, m_speed);
}

void SessionWorker::playTick() {
    if (!m_playing || !m_replay) return;
    const qint64 elapsedNs = m_playClock.nsecsElapsed();
    m_playClock.start();
    const std::int64_t local = m_replay->timeNs() + std::int64_t(double(elapsedNs) * m_speed);
    const std::int64_t end = m_replay->durationNs();
    ChangeSet changes = m_replay->advanceTo(std::min(local, end));
    feed(std::move(changes), false);
    flush(false);
    if (local >= end) {
        if (m_mode == Mode::Review) {
            if (m_reviewSegment >= 0) {
                // Play on into the next segment.
                const std::int64_t next = m_replay->timeNs() + m_reviewOffsetNs + 1;
                if (enterReview(next)) seekTo(next, false);
                m_playClock.start();
                return;
            }
            backToLive();
            return;
        }
        pause();
    }
}

void SessionWorker::step(int direction) {
    if (m_mode == Mode::None) return;
    if (m_playing) pause();
    const std::int64_t now = shownTimeNs();
    const auto& data = m_timeline.data();
    std::int64_t target = direction >= 0 ? INT64_MAX : INT64_MIN;
    auto consider = [&](std::int64_t t) {
        if (direction >= 0 && t > now) target = std::min(target, t);
        if (direction < 0 && t < now) target = std::max(target, t);
    };
    // Points are sorted: binary search the neighbours; markers are few enough to scan near the cursor.
    auto it = std::upper_bound(data.points.begin(), data.points.end(), now,
                               [](std::int64_t t, const TimelinePoint& p) { return t < p.tNs; });
    if (it != data.points.end()) consider(it->tNs);
    auto back = std::lower_bound(data.points.begin(), data.points.end(), now,
                                 [](const TimelinePoint& p, std::int64_t t) { return p.tNs < t; });
    if (back != data.points.begin()) consider(std::prev(back)->tNs);
    auto m = std::upper_bound(data.markers.begin(), data.markers.end(), now,
                              [](std::int64_t t, const TimelineMarker& x) { return t < x.tNs; });
    if (m != data.markers.end()) consider(m->tNs);
    auto mb = std::lower_bound(data.markers.begin(), data.markers.end(), now,
                               [](const TimelineMarker& x, std::int64_t t) { return x.tNs < t; });
    if (mb != data.markers.begin()) consider(std::prev(mb)->tNs);
    if (target == INT64_MAX || target == INT64_MIN) target = now + (direction >= 0 ? 100'000'000 : -100'000'000);
    seekTo(std::max<std::int64_t>(0, target), false);
}

void SessionWorker::backToLive() {
    if (m_mode != Mode::Review) return;
    leaveReview();
}

// ---------------------------------------------------------------------------------------------
// Diff, export, commands, recording

void SessionWorker::requestDiff(const DiffRequest& request) {
    if (m_mode == Mode::None) {
        emit diffFailed(tr("nothing is open"));
        return;
    }
    auto a = snapshotAtMoment(request.aNs);
    if (!a) {
        emit diffFailed(QString::fromStdString(a.error()));
        return;
    }
    introspection::Result<introspection::TreeSnapshot> b = introspection::Result<introspection::TreeSnapshot>::failure("");
    if (request.mode == DiffRequest::Mode::File) {
        introspection::LoadOptions options;
        if (request.bNs >= 0) options.atSeconds = double(request.bNs) / 1e9;
        b = introspection::loadSnapshot(request.otherFile.toStdString(), options);
    } else {
        b = snapshotAtMoment(request.bNs);
    }
    if (!b) {
        emit diffFailed(QString::fromStdString(b.error()));
        return;
    }
    const bool other = request.mode == DiffRequest::Mode::File;
    const std::string labelA = sessionTimeText(request.aNs).toStdString();
    const std::string labelB = other ? QFileInfo(request.otherFile).fileName().toStdString() + " @ " +
                                           (request.bNs < 0 ? std::string("end") : sessionTimeText(request.bNs).toStdString())
                                     : sessionTimeText(request.bNs).toStdString();
    auto built = DiffResultBuilder::build(*a, *b, !other, labelA, labelB);
    if (!built) {
        emit diffFailed(QString::fromStdString(built.error()));
        return;
    }
    auto result = std::make_shared<DiffResult>(std::move(*built));
    result->aNs = request.aNs;
    result->bNs = request.bNs;
    result->otherFile = other;
    // Show moment B on the tree, so the overlay's pids are the ones drawn.
    if (!other) seekTo(request.bNs, true);
    emit diffReady(result);
}

introspection::Result<introspection::TreeSnapshot> SessionWorker::snapshotAtMoment(std::int64_t tNs) {
    using R = introspection::Result<introspection::TreeSnapshot>;
    if (m_mode == Mode::File) {
        introspection::LoadOptions options;
        options.atSeconds = double(std::max<std::int64_t>(0, tNs)) / 1e9;
        return introspection::loadSnapshot(m_target.path.toStdString(), options);
    }
    if (!m_live) return R::failure("no session");
    if (!m_recording || !m_recording->active()) {
        if (tNs >= m_live->timeNs()) return m_live->model().snapshotAt(m_live->timeNs());
        return R::failure("the live session has no recording to go back to yet");
    }
    // Live: read the recording segment that holds tNs (a separate reader; the view is untouched).
    const auto& segments = m_recording->segments();
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        if (tNs < segments[i + 1].startNs && segments[i].closed) {
            introspection::SessionReader reader;
            auto st = reader.open(segments[i].path);
            if (!st) return R::failure(st.error());
            return reader.snapshotAt(std::max<std::int64_t>(0, tNs - (reader.startNs() - m_live->model().startNs())));
        }
    }
    if (tNs >= m_live->timeNs()) return m_live->model().snapshotAt(m_live->timeNs());
    auto recorded = m_live->openRecorded();
    if (!recorded) return R::failure(recorded.error());
    auto& replay = **recorded;
    std::int64_t start = replay.reader() ? replay.reader()->startNs() : replay.model().startNs();
    const std::int64_t offset = start - m_live->model().startNs();
    replay.seek(std::max<std::int64_t>(0, tNs - offset));
    return replay.model().snapshotAt(tNs);
}

void SessionWorker::requestExport(const ExportRequest& request) {
    Session* s = shown();
    if (!s) {
        emit exportFinished(false, tr("nothing to export: no session is open"));
        return;
    }
    introspection::TreeSnapshot snapshot;
    const std::int64_t at = request.atNs < 0 ? shownTimeNs() : request.atNs;
    if (m_mode == Mode::File) {
        // The same path as `canopyctl export --at`: loadSnapshot of that moment.
        auto snap = snapshotAtMoment(at);
        if (!snap) {
            emit exportFinished(false, QString::fromStdString(snap.error()));
            return;
        }
        snapshot = std::move(*snap);
    } else {
        snapshot = s->model().snapshotAt(s->timeNs());
    }
    auto result = exporting::DiagramExporter::exportSnapshot(snapshot, request.options);
    if (!result.ok()) {
        emit exportFinished(false, QString::fromStdString(result.error));
        return;
    }
    QFile file(request.path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(result.data.data(), qint64(result.data.size())) != qint64(result.data.size())) {
        emit exportFinished(false, tr("cannot write %1: %2").arg(request.path, file.errorString()));
        return;
    }
    file.close();
    emit exportFinished(true, request.path);
}

void SessionWorker::sendCommand(const introspection::Command& command) {
    if (!m_live) {
        emit commandFinished(false, tr("%1: not a live session").arg(describeCommand(command)));
        return;
    }
    introspection::Command c = command;
    c.id = m_nextCommandId++;
    auto st = m_live->send(c);
    if (!st) {
        emit commandFinished(false, describeCommand(c) + tr(" failed: ") + QString::fromStdString(st.error()));
        return;
    }
    m_pendingCommands[c.id] = describeCommand(c);
}

void SessionWorker::setRecordingKept(bool keep) {
    if (!m_recording || !m_recording->active()) {
        emit recordingChanged(false, tr("nothing to record: not connected to a live probe"));
        return;
    }
    m_recording->setKeep(keep);
    emit recordingChanged(keep, {});
}

void SessionWorker::saveRecording(const QString& path) {
    if (!m_recording || !m_live) {
        emit recordingChanged(false, tr("nothing to save: not a live session"));
        return;
    }
    // A replay reading the segment that is about to move would keep a stale file open.
    if (m_mode == Mode::Review && m_reviewSegment == -1) leaveReview();
    auto st = m_recording->save(*m_live, path.toStdString());
    emit recordingChanged(false, st ? tr("recording saved to %1").arg(path) : QString::fromStdString(st.error()));
}

} // namespace canopy::views
