// SessionWorker against the scripted fake probe (refusals, version mismatch, resync, a probe that
// goes away and comes back) and against the checked-in session files (open, seek, play, timeline,
// export bytes = canopyctl's, a file that is not a session). The worker runs on the test's thread
// here (it is thread-agnostic); the app moves it to its own thread.
#include "introspection/session_reader.h"
#include "introspection/snapshot_loader.h"
#include "tests/introspection/fake_probe.h"
#include "tests/introspection/sample_session.h"
#include "views/export/diagram_exporter.h"
#include "views/model/session_worker.h"
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace canopy;
using introspection::SessionState;
using introspection::testing::FakeProbe;
using views::ChangeBatch;
using views::SessionTarget;
using views::SessionWorker;

namespace {

constexpr std::int64_t kStart = 1'000'000'000;
constexpr int kDeadlineMs = 10000;

QString sessionPath(const char* name) {
    return QString::fromLocal8Bit(qgetenv("CANOPY_SOURCE_DIR")) + QStringLiteral("/resources/sessions/") + QLatin1String(name);
}

/// Collects what a worker posts, acknowledging batches as the GUI does.
struct Collector {
    explicit Collector(SessionWorker& worker) {
        QObject::connect(&worker, &SessionWorker::batchReady, &worker, [this, &worker](std::shared_ptr<const ChangeBatch> b) {
            batches.push_back(b);
            for (const auto& r : b->records) pids.insert(r.pid);
            for (const auto& e : b->changes.exited) pids.erase(e.record.pid);
            if (b->changes.reset) {
                pids.clear();
                for (const auto& r : b->records) pids.insert(r.pid);
            }
            worker.batchApplied();
        });
        QObject::connect(&worker, &SessionWorker::diagramReady, &worker,
                         [this](std::shared_ptr<const exporting::DiagramTree> d) { diagrams.push_back(d); });
        QObject::connect(&worker, &SessionWorker::timelineReady, &worker, [this](std::shared_ptr<const views::TimelineData> t, bool replace) {
            if (replace) timeline = *t;
            else timeline.append(*t);
        });
    }
    const ChangeBatch* last() const { return batches.empty() ? nullptr : batches.back().get(); }
    SessionState::Kind kind() const { return batches.empty() ? SessionState::Kind::Connecting : batches.back()->state.kind; }
    std::vector<std::shared_ptr<const ChangeBatch>> batches;
    std::vector<std::shared_ptr<const exporting::DiagramTree>> diagrams;
    views::TimelineData timeline;
    std::set<std::uint64_t> pids;
};

SessionTarget liveTarget(const FakeProbe& probe, const QString& token = {}) {
    SessionTarget t;
    t.kind = SessionTarget::Kind::Live;
    t.host = QStringLiteral("127.0.0.1");
    t.port = probe.port();
    t.token = token;
    return t;
}

SessionTarget fileTarget(const QString& path, std::int64_t atNs = -1) {
    SessionTarget t;
    t.kind = SessionTarget::Kind::File;
    t.path = path;
    t.atNs = atNs;
    return t;
}

void script(FakeProbe& p) {
    p.script.push_back(introspection::testing::sampleKeyframe(kStart));
    for (const auto& d : introspection::testing::sampleDeltas(kStart)) p.script.push_back(d);
}

} // namespace

class TestSessionWorker : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(!qgetenv("CANOPY_SOURCE_DIR").isEmpty(), "run through ctest (CANOPY_SOURCE_DIR)");
        // Probes of other tests write ~/.canopy_token: keep ours apart.
        qputenv("HOME", m_home.path().toLocal8Bit());
        qunsetenv("CANOPY_TOKEN");
    }

    void liveStreamBecomesBatchesAndADiagram() {
        FakeProbe probe;
        script(probe);
        probe.start();
        SessionWorker worker;
        Collector got(worker);
        worker.open(liveTarget(probe));
        // The sample history ends with registry restarted as pid 8 and worker 7 spawned.
        QTRY_VERIFY_WITH_TIMEOUT(got.pids.count(8) && got.pids.count(7) && !got.pids.count(4), kDeadlineMs);
        // Batches before the first keyframe only carry the state (connecting); the first with a tree resets.
        const auto firstTree = std::find_if(got.batches.begin(), got.batches.end(),
                                            [](const auto& b) { return !b->changes.empty() || !b->records.empty(); });
        QVERIFY(firstTree != got.batches.end());
        QVERIFY((*firstTree)->changes.reset);
        QVERIFY(got.last()->live);
        QVERIFY(!got.last()->replay);
        QVERIFY(got.kind() == SessionState::Kind::Live);
        QTRY_VERIFY_WITH_TIMEOUT(!got.diagrams.empty(), kDeadlineMs);
        bool sawRestart = false;
        for (const auto& b : got.batches)
            for (const auto& r : b->changes.restarted) sawRestart = sawRestart || (r.oldPid == 6 && r.newPid == 8);
        QVERIFY(sawRestart);
        // The live timeline carries the restarts as markers.
        QTRY_VERIFY_WITH_TIMEOUT(got.timeline.markers.size() >= 2, kDeadlineMs);
        QVERIFY(got.timeline.live);
    }

    void badTokenAsksForOneAndTheRightOneConnects() {
        FakeProbe probe;
        probe.token = "s3cret";
        script(probe);
        probe.start();
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy asked(&worker, &SessionWorker::tokenRequired);
        worker.open(liveTarget(probe, QStringLiteral("wrong")));
        QVERIFY(asked.wait(kDeadlineMs));
        QTRY_VERIFY_WITH_TIMEOUT(got.kind() == SessionState::Kind::Refused, kDeadlineMs);
        QVERIFY(got.last()->state.refusal == SessionState::Refusal::BadToken);
        worker.setToken(QStringLiteral("s3cret"));
        QTRY_VERIFY_WITH_TIMEOUT(got.kind() == SessionState::Kind::Live, kDeadlineMs);
        QTRY_VERIFY_WITH_TIMEOUT(got.pids.count(8), kDeadlineMs);
        QCOMPARE(probe.hellos().back().token, std::string("s3cret"));
    }

    void versionMismatchShowsBothVersionsAndDoesNotRetry() {
        FakeProbe probe;
        probe.major = 9;
        probe.minor = 3;
        probe.start();
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy reconnects(&worker, &SessionWorker::reconnectScheduled);
        worker.open(liveTarget(probe));
        QTRY_VERIFY_WITH_TIMEOUT(got.kind() == SessionState::Kind::Refused, kDeadlineMs);
        const auto& state = got.last()->state;
        QVERIFY(state.refusal == SessionState::Refusal::VersionMismatch);
        QCOMPARE(state.serverMajor, 9);
        QCOMPARE(state.serverMinor, 3);
        QVERIFY2(QString::fromStdString(state.message).contains(QStringLiteral("9.3")), state.message.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(!reconnects.isEmpty(), kDeadlineMs);
        for (const auto& args : reconnects) QCOMPARE(args.at(0).toInt(), -1); // no retry planned
        QCOMPARE(probe.hellos().size(), std::size_t(1));
    }

    void resyncIsAMarkerAndTheNewKeyframeIsDiffed() {
        FakeProbe probe;
        probe.script.push_back(introspection::testing::sampleKeyframe(kStart));
        auto ds = introspection::testing::sampleDeltas(kStart);
        probe.script.push_back(ds[0]);
        probe.script.push_back(introspection::ResyncNotice{7, "queue_overflow"});
        // The keyframe after the resync: what the tree became meanwhile (4 gone, 7 new).
        auto again = introspection::testing::sampleKeyframe(kStart);
        again.seq = 20;
        again.timeNs = kStart + 5'000'000'000;
        again.processes.erase(again.processes.begin() + 3); // pid 4
        again.processes.push_back(introspection::testing::rec(7, 3, ""));
        probe.script.push_back(again);
        probe.start();
        SessionWorker worker;
        Collector got(worker);
        worker.open(liveTarget(probe));
        QTRY_VERIFY_WITH_TIMEOUT(got.pids.count(7) && !got.pids.count(4), kDeadlineMs);
        // Only the first keyframe resets; the one after the resync is reported as real changes.
        int resets = 0;
        bool spawned7 = false;
        for (const auto& b : got.batches) {
            resets += b->changes.reset;
            for (auto pid : b->changes.spawned) spawned7 = spawned7 || pid == 7;
        }
        QCOMPARE(resets, 1);
        QVERIFY(spawned7);
        QTRY_VERIFY_WITH_TIMEOUT(got.last()->state.resyncs >= 1, kDeadlineMs);
        QCOMPARE(got.last()->state.drops, 7u);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(got.timeline.markers.begin(), got.timeline.markers.end(),
                                             [](const views::TimelineMarker& m) { return m.kind == views::TimelineMarkerKind::Resync; }),
                                 kDeadlineMs);
    }

    void lostProbeKeepsTheTreeAndReconnects() {
        // Each connection gets the same keyframe and is then closed by the probe.
        FakeProbe probe;
        auto tree = introspection::testing::sampleKeyframe(kStart);
        tree.processes.erase(tree.processes.begin() + 3); // pid 4
        tree.processes.erase(tree.processes.begin() + 1); // pid 2
        tree.processes.push_back(introspection::testing::rec(7, 3, ""));
        tree.processes.push_back(introspection::testing::rec(8, 1, "registry"));
        probe.script = {tree};
        probe.closeAfterScript = true;
        probe.start();
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy reconnects(&worker, &SessionWorker::reconnectScheduled);
        worker.open(liveTarget(probe));
        QTRY_VERIFY_WITH_TIMEOUT(got.pids.count(8), kDeadlineMs);
        // The probe closes after its script: the session ends or is lost, the tree stays, a
        // reconnect is planned with a delay...
        QTRY_VERIFY_WITH_TIMEOUT(got.kind() == SessionState::Kind::Lost || got.kind() == SessionState::Kind::Ended, kDeadlineMs);
        QVERIFY(got.pids.count(8));
        QTRY_VERIFY_WITH_TIMEOUT(!reconnects.isEmpty() && reconnects.first().at(0).toInt() > 0, kDeadlineMs);
        // ...and the probe (still listening) is reached again: its keyframe is diffed against the tree
        // shown, which it equals, so nothing is reset, spawned or removed.
        const std::size_t before = got.batches.size();
        QTRY_VERIFY_WITH_TIMEOUT(probe.hellos().size() >= 2, kDeadlineMs);
        QTRY_VERIFY_WITH_TIMEOUT(got.batches.size() > before, kDeadlineMs);
        for (std::size_t i = before; i < got.batches.size(); ++i) {
            QVERIFY(!got.batches[i]->changes.reset);
            QVERIFY(got.batches[i]->changes.spawned.empty());
            QVERIFY(got.batches[i]->changes.exited.empty());
        }
        QCOMPARE(got.pids, (std::set<std::uint64_t>{1, 3, 5, 7, 8}));
    }

    void fileOpensAtTheRequestedMomentAndSeeks() {
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy opened(&worker, &SessionWorker::opened);
        worker.open(fileTarget(sessionPath("todo.canopy"), 5'000'000'000));
        QCOMPARE(opened.count(), 1);
        QVERIFY(opened.first().at(1).toBool());
        QVERIFY(opened.first().at(2).toLongLong() > 10'000'000'000);
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty() && !got.diagrams.empty(), kDeadlineMs);
        QVERIFY(got.batches.front()->changes.reset);
        QCOMPARE(got.last()->timeNs, 5'000'000'000);
        QVERIFY(got.last()->replay);
        QVERIFY(!got.last()->live);
        // The batch holds what canopyctl would show at 5 s.
        introspection::SessionReader reader;
        QVERIFY(reader.open(sessionPath("todo.canopy").toStdString()).ok());
        auto at5 = reader.snapshotAt(5'000'000'000);
        QVERIFY(at5.ok());
        std::set<std::uint64_t> expected;
        for (const auto& [pid, r] : at5->processes) expected.insert(pid);
        QCOMPARE(got.pids, expected);

        // Seeks coalesce: three requests in a row, one answer at the last time.
        const std::size_t before = got.batches.size();
        worker.requestSeek(1'000'000'000);
        worker.requestSeek(2'000'000'000);
        worker.requestSeek(9'000'000'000);
        QTRY_VERIFY_WITH_TIMEOUT(got.batches.size() > before, kDeadlineMs);
        QCOMPARE(got.batches.size(), before + 1);
        QCOMPARE(got.last()->timeNs, 9'000'000'000);
        QVERIFY(!got.last()->changes.reset);
        QVERIFY2(got.last()->jump, "a seek 4 s away lands in one state (the GUI runs no effects for it)");
        auto at9 = reader.snapshotAt(9'000'000'000);
        expected.clear();
        for (const auto& [pid, r] : at9->processes) expected.insert(pid);
        QCOMPARE(got.pids, expected);

        // The timeline is read from the whole file (restarts and abnormal exits of the chaos).
        QTRY_VERIFY_WITH_TIMEOUT(got.timeline.points.size() > 10 && !got.timeline.markers.empty(), kDeadlineMs);
        QVERIFY(!got.timeline.live);
    }

    void playAdvancesAndStopsAtTheEnd() {
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy playback(&worker, &SessionWorker::playbackChanged);
        worker.open(fileTarget(sessionPath("streams-giveup.canopy"), 3'000'000'000));
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty(), kDeadlineMs);
        worker.play(16.0);
        QTRY_VERIFY_WITH_TIMEOUT(!playback.isEmpty() && playback.last().at(0).toBool(), kDeadlineMs);
        // The give-up at the end: playing stops by itself.
        QTRY_VERIFY_WITH_TIMEOUT(!playback.last().at(0).toBool(), kDeadlineMs);
        QVERIFY(got.last()->timeNs >= got.last()->durationNs);
        bool gaveUp = false;
        for (const auto& b : got.batches) gaveUp = gaveUp || !b->changes.gaveUp.empty();
        QVERIFY2(gaveUp, "playing through the crash reports the supervisor's give-up");
    }

    void stepMovesToTheNextTimelineEvent() {
        SessionWorker worker;
        Collector got(worker);
        worker.open(fileTarget(sessionPath("todo.canopy"), 0));
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty() && got.timeline.points.size() > 10, kDeadlineMs);
        const auto t0 = got.last()->timeNs;
        worker.step(+1);
        QTRY_VERIFY_WITH_TIMEOUT(got.last()->timeNs > t0, kDeadlineMs);
        const auto t1 = got.last()->timeNs;
        QVERIFY(t1 - t0 <= 1'000'000'000);
        QVERIFY2(!got.last()->jump, "a step forward plays what happened (effects run)");
        worker.step(-1);
        QTRY_VERIFY_WITH_TIMEOUT(got.last()->timeNs < t1, kDeadlineMs);
        QVERIFY2(got.last()->jump, "a step back lands in one state");
    }

    void exportWritesCanopyctlsBytes_data() {
        QTest::addColumn<QString>("session");
        QTest::addColumn<int>("format");
        QTest::addColumn<qint64>("atNs");
        QTest::newRow("todo ascii") << QStringLiteral("todo.canopy") << int(exporting::ExportFormat::Ascii) << qint64(7'000'000'000);
        QTest::newRow("todo dot") << QStringLiteral("todo.canopy") << int(exporting::ExportFormat::Dot) << qint64(3'000'000'000);
        QTest::newRow("corrupt mermaid") << QStringLiteral("todo-corrupt.canopy") << int(exporting::ExportFormat::Mermaid)
                                         << qint64(9'000'000'000);
        QTest::newRow("truncated ascii") << QStringLiteral("todo-truncated.canopy") << int(exporting::ExportFormat::Ascii)
                                         << qint64(11'000'000'000);
    }
    void exportWritesCanopyctlsBytes() {
        QFETCH(QString, session);
        QFETCH(int, format);
        QFETCH(qint64, atNs);
        SessionWorker worker;
        Collector got(worker);
        worker.open(fileTarget(sessionPath(session.toLatin1().constData()), atNs));
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty(), kDeadlineMs);
        QTemporaryDir dir;
        views::ExportRequest request;
        request.options.format = exporting::ExportFormat(format);
        request.options.annotate = true;
        request.path = dir.filePath(QStringLiteral("out"));
        QSignalSpy done(&worker, &SessionWorker::exportFinished);
        worker.requestExport(request);
        QCOMPARE(done.count(), 1);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QFile file(request.path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        // canopyctl export --annotate --at T: loadSnapshot of that moment through DiagramExporter.
        introspection::LoadOptions load;
        load.atSeconds = double(atNs) / 1e9;
        auto snapshot = introspection::loadSnapshot(sessionPath(session.toLatin1().constData()).toStdString(), load);
        QVERIFY2(snapshot.ok(), snapshot.error().c_str());
        auto expected = exporting::DiagramExporter::exportSnapshot(*snapshot, request.options);
        QVERIFY(expected.ok());
        QCOMPARE(bytes, QByteArray::fromStdString(expected.data));
    }

    void corruptFileOpensWithWarnings() {
        SessionWorker worker;
        Collector got(worker);
        QSignalSpy opened(&worker, &SessionWorker::opened);
        worker.open(fileTarget(sessionPath("todo-truncated.canopy"), 60'000'000'000));
        QCOMPARE(opened.count(), 1);
        const QStringList warnings = opened.first().at(3).toStringList();
        QVERIFY(!warnings.isEmpty());
        QVERIFY2(warnings.join('\n').contains(QStringLiteral("byte offset")), qPrintable(warnings.join('\n')));
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty(), kDeadlineMs);
        // Opened at its last good frame.
        QVERIFY(got.last()->processCount > 0);
        QCOMPARE(got.last()->timeNs, got.last()->durationNs);
    }

    void notASessionFailsAndKeepsTheCurrentSession() {
        SessionWorker worker;
        Collector got(worker);
        worker.open(fileTarget(sessionPath("todo.canopy"), 2'000'000'000));
        QTRY_VERIFY_WITH_TIMEOUT(!got.batches.empty(), kDeadlineMs);
        const std::size_t before = got.batches.size();
        QTemporaryDir dir;
        const QString bogus = dir.filePath(QStringLiteral("notes.canopy"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("these are my notes, not a session\n");
        f.close();
        QSignalSpy failed(&worker, &SessionWorker::openFailed);
        worker.open(fileTarget(bogus));
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("notes.canopy")), qPrintable(failed.first().at(0).toString()));
        // The session shown before is still there: it still seeks.
        worker.requestSeek(4'000'000'000);
        QTRY_VERIFY_WITH_TIMEOUT(got.batches.size() > before, kDeadlineMs);
        QCOMPARE(got.last()->timeNs, 4'000'000'000);
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestSessionWorker)
#include "tst_session_worker.moc"
