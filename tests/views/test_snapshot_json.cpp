// SnapshotJson: the JSON snapshot format used by fixtures and `canopyctl export x.json`.
#include "export_test_support.h"

#include "views/export/snapshot_json.h"

#include <QTemporaryDir>
#include <QTest>

using canopy::exporting::SnapshotJson;
using canopy::introspection::ProcessRecord;
using namespace canopy::exporting::test;

class TestSnapshotJson : public QObject {
    Q_OBJECT
private slots:
    void fixturesLoad_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("processes");
        QTest::newRow("todo") << "todo" << 15;
        QTest::newRow("streams") << "streams" << 11; // + the StreamInfoFetcher's ghost slot
        QTest::newRow("hangman") << "hangman" << 12;
    }
    void fixturesLoad() {
        QFETCH(QString, name);
        QFETCH(int, processes);
        auto parsed = SnapshotJson::fromFile((sourceDir() + "/tests/views/fixtures/" + name + ".json").toStdString());
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        QCOMPARE(static_cast<int>(parsed.snapshot.processes.size()), processes);
        QCOMPARE(static_cast<int>(parsed.snapshot.roots().size()), 1);
    }

    void roundTripIsLossless() {
        auto snap = fixture("todo");
        QVERIFY(!snap.processes.empty());
        const std::string once = SnapshotJson::toJson(snap);
        // Written with the wire's keys (version 2); the fixture itself is version 1 (camelCase).
        QVERIFY(once.find("\"version\": 2") != std::string::npos);
        QVERIFY(once.find("\"child_id\"") != std::string::npos && once.find("\"pid_text\"") != std::string::npos);
        QVERIFY(once.find("childId") == std::string::npos && once.find("pidText") == std::string::npos);
        auto again = SnapshotJson::fromJson(once);
        QVERIFY2(again.ok(), again.error.c_str());
        QCOMPARE(SnapshotJson::toJson(again.snapshot), once);
        QCOMPARE(again.snapshot.timeNs, snap.timeNs);
        const auto& r = again.snapshot.processes.at(105);
        QCOMPARE(r.childId, std::string("Todo.DatabaseWorker.2"));
        QCOMPARE(r.restartCount, 1);
        QCOMPARE(r.lastExitReason, std::string("{:badmatch, {:error, :enospc}}"));
    }

    void ghostSlotsRoundTrip() {
        auto snap = fixture("streams");
        QCOMPARE(snap.ghostsOf(200).size(), std::size_t(1));
        const ProcessRecord& g = snap.ghostsOf(200).front();
        QCOMPARE(g.pid, std::uint64_t(0));
        QCOMPARE(g.childId, std::string("StreamInfoFetcher"));
        QCOMPARE(g.lastExitReason, std::string("normal"));
        auto again = SnapshotJson::fromJson(SnapshotJson::toJson(snap));
        QVERIFY2(again.ok(), again.error.c_str());
        QCOMPARE(again.snapshot.ghosts, snap.ghosts);
        auto bad = SnapshotJson::fromJson(R"({"processes":[],"ghosts":[{"pid":3,"parent":1,"child_id":"x"}]})");
        QVERIFY(!bad.ok());
        QVERIFY2(QString::fromStdString(bad.error).contains("ghosts[0]"), bad.error.c_str());
    }

    void minimalDocumentUsesDefaults() {
        auto parsed = SnapshotJson::fromJson(R"({"processes":[{"pid":7}]})");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        const auto& r = parsed.snapshot.processes.at(7);
        QCOMPARE(r.kind, std::string("worker"));
        QCOMPARE(r.pidText, std::string("<0.7.0>"));
        QCOMPARE(r.parent, std::uint64_t{0});
    }

    void badInputGivesOneLineError_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << "{\"processes\": [" << "not valid JSON";
        QTest::newRow("empty") << "" << "not valid JSON";
        QTest::newRow("array") << "[1,2]" << "expected a JSON object";
        QTest::newRow("no processes") << "{}" << "processes: missing";
        QTest::newRow("wrong format") << R"({"format":"x","processes":[]})" << "format: expected";
        QTest::newRow("future version") << R"({"version":9,"processes":[]})" << "newer than supported";
        QTest::newRow("pid string") << R"({"processes":[{"pid":"1"}]})" << "processes[0].pid: expected a non-negative integer";
        QTest::newRow("pid missing") << R"({"processes":[{"name":"a"}]})" << "processes[0].pid: missing";
        QTest::newRow("pid zero") << R"({"processes":[{"pid":0}]})" << "processes[0].pid: 0 is not a pid";
        QTest::newRow("negative parent") << R"({"processes":[{"pid":1,"parent":-1}]})" << "processes[0].parent";
        QTest::newRow("bad kind") << R"({"processes":[{"pid":1,"kind":"actor"}]})" << "processes[0].kind";
        QTest::newRow("name number") << R"({"processes":[{"pid":1,"name":5}]})" << "processes[0].name: expected a string";
        QTest::newRow("duplicate") << R"({"processes":[{"pid":1},{"pid":1}]})" << "processes[1].pid: duplicate pid 1";
        QTest::newRow("huge int") << R"({"processes":[{"pid":1,"restartCount":99999999999}]})" << "out of range";
        QTest::newRow("links") << R"({"processes":[{"pid":1,"links":[1,"x"]}]})" << "processes[0].links";
        QTest::newRow("entry not object") << R"({"processes":[3]})" << "processes[0]: expected an object";
    }
    void badInputGivesOneLineError() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const std::string text = json.toStdString();
        auto parsed = SnapshotJson::fromJson(text);
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.error).contains(expected), parsed.error.c_str());
        QVERIFY(parsed.error.find('\n') == std::string::npos);
        QVERIFY(parsed.snapshot.processes.empty());
    }

    void unreadableFileIsNamed() {
        auto parsed = SnapshotJson::fromFile("/nonexistent/dir/snap.json");
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.find("/nonexistent/dir/snap.json") != std::string::npos, parsed.error.c_str());
    }

    void corruptFileIsNamed() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("bad.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x00\xff garbage", 10);
        f.close();
        auto parsed = SnapshotJson::fromFile(path.toStdString());
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.find("bad.json: not valid JSON") != std::string::npos, parsed.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSnapshotJson)
#include "test_snapshot_json.moc"
