// DOT export: goldens, acceptance by `dot -Tsvg`, stable ids, quoting, clusters.
#include "export_test_support.h"

#include "views/export/diagram_exporter.h"
#include "views/export/dot_exporter.h"

#include <QRegularExpression>
#include <QTest>

using namespace canopy::exporting;
using namespace canopy::exporting::test;
using canopy::introspection::ProcessRecord;
using canopy::introspection::TreeSnapshot;

namespace {

std::string dot(const TreeSnapshot& snap, bool clusters = false, bool annotate = false) {
    ExportOptions o;
    o.format = ExportFormat::Dot;
    o.clusters = clusters;
    o.annotate = annotate;
    auto r = DiagramExporter::exportSnapshot(snap, o);
    if (!r.ok()) qWarning("export failed: %s", r.error.c_str());
    return r.data;
}

} // namespace

class TestDotExporter : public QObject {
    Q_OBJECT
private slots:
    void golden_data() {
        QTest::addColumn<QString>("system");
        QTest::addColumn<bool>("clusters");
        QTest::addColumn<bool>("annotate");
        QTest::addColumn<QString>("golden");
        for (const char* s : {"todo", "streams", "hangman"}) {
            const QString n = s;
            QTest::newRow(qPrintable(n)) << n << false << false << n + ".dot";
            QTest::newRow(qPrintable(n + " clusters")) << n << true << false << n + ".clusters.dot";
            QTest::newRow(qPrintable(n + " annotated")) << n << false << true << n + ".annotated.dot";
        }
    }
    void golden() {
        QFETCH(QString, system);
        QFETCH(bool, clusters);
        QFETCH(bool, annotate);
        QFETCH(QString, golden);
        const auto snap = fixture(system.toUtf8().constData());
        QVERIFY(!snap.processes.empty());
        CANOPY_COMPARE_GOLDEN(dot(snap, clusters, annotate), golden);
    }

    void dotAcceptsIt_data() { golden_data(); }
    void dotAcceptsIt() {
        if (!haveTool("dot")) QSKIP("graphviz `dot` not installed");
        QFETCH(QString, system);
        QFETCH(bool, clusters);
        QFETCH(bool, annotate);
        const std::string src = dot(fixture(system.toUtf8().constData()), clusters, annotate);
        QByteArray out, err;
        const int code = runTool("dot", {"-Tsvg"}, QByteArray::fromStdString(src), &out, &err);
        QVERIFY2(code == 0, err.constData());
        QVERIFY2(err.isEmpty(), err.constData()); // no warnings either
        QVERIFY(out.contains("<svg"));
        QVERIFY(out.contains("Todo") || out.contains("Stream") || out.contains("Hangman"));
    }

    void idsComeFromPathsNotPids() {
        const auto snap = fixture("todo");
        const std::string src = dot(snap);
        QVERIFY(src.find("\"Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor/Todo.Server*\"") !=
                std::string::npos);
        for (const auto& [pid, r] : snap.processes) QVERIFY(src.find(r.pidText) == std::string::npos);
        // Renumbered pids, same DOT.
        TreeSnapshot other;
        for (const auto& [pid, r] : snap.processes) {
            ProcessRecord c = r;
            c.pid = pid * 7 + 3;
            c.parent = r.parent ? r.parent * 7 + 3 : 0;
            other.processes[c.pid] = c;
        }
        QCOMPARE(dot(other), src);
    }

    void shapesByKind() {
        const std::string src = dot(fixture("todo"));
        QVERIFY(src.find("\"Todo.Supervisor\" [label=\"Todo.Supervisor\\n(rest_for_one)\", shape=box") != std::string::npos);
        QVERIFY(src.find("(DynamicSupervisor)\", shape=box, peripheries=2") != std::string::npos);
        QVERIFY(src.find("Todo.Server ×6\", shape=box3d") != std::string::npos);
        QVERIFY(src.find("\"Todo.Cache\", shape=ellipse") != std::string::npos);
    }

    void clustersNestPerSupervisor() {
        const QString src = QString::fromStdString(dot(fixture("todo"), true));
        QCOMPARE(src.count("subgraph \"cluster_"), 4); // Supervisor, SystemSupervisor, PoolSupervisor, ServerSupervisor
    }

    void quotingSurvivesHostileNames() {
        if (!haveTool("dot")) QSKIP("graphviz `dot` not installed");
        TreeSnapshot snap;
        ProcessRecord root;
        root.pid = 1;
        root.name = "evil\"name\\with}{;[]->";
        root.kind = "supervisor";
        ProcessRecord child;
        child.pid = 2;
        child.parent = 1;
        child.name = "a\"b";
        child.lastExitReason = "{\"quoted\", \\backslash\\}";
        snap.processes = {{1, root}, {2, child}};
        const std::string src = dot(snap, true, true);
        QByteArray out, err;
        QCOMPARE(runTool("dot", {"-Tsvg"}, QByteArray::fromStdString(src), &out, &err), 0);
        QVERIFY2(err.isEmpty(), err.constData());
        QVERIFY(out.contains("evil"));
    }

    void parentCycleIsDrawnNotDropped() {
        // x's parent is y and y's parent is x (bad input): neither hangs under a root, both are drawn
        // once, as `canopyctl tree` lists them, and dot accepts the graph.
        TreeSnapshot snap;
        ProcessRecord root, x, y;
        root.pid = 1;
        root.name = "root";
        root.kind = "supervisor";
        x.pid = 2;
        x.parent = 3;
        x.name = "cycle_x";
        y.pid = 3;
        y.parent = 2;
        y.name = "cycle_y";
        snap.processes = {{1, root}, {2, x}, {3, y}};
        for (bool clusters : {false, true}) {
            const QString src = QString::fromStdString(dot(snap, clusters));
            for (const char* name : {"root", "cycle_x", "cycle_y"})
                QVERIFY2(src.count(QString("label=\"%1").arg(name)) == 1, qPrintable(QString("%1 not drawn once:\n%2").arg(name, src)));
            if (haveTool("dot")) {
                QByteArray out, err;
                QCOMPARE(runTool("dot", {"-Tsvg"}, src.toUtf8(), &out, &err), 0);
                QVERIFY2(err.isEmpty(), err.constData());
            }
        }
    }

    void quoteEscapes() {
        QCOMPARE(DotExporter::quote("a\"b\\c\nd"), std::string("\"a\\\"b\\\\c d\""));
    }
};

QTEST_GUILESS_MAIN(TestDotExporter)
#include "test_dot_exporter.moc"
