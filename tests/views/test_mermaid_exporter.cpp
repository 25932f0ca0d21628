// Mermaid export: goldens, identifiers, escaping.
#include "export_test_support.h"

#include "views/export/diagram_exporter.h"
#include "views/export/mermaid_exporter.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace canopy::exporting;
using namespace canopy::exporting::test;
using canopy::introspection::ProcessRecord;
using canopy::introspection::TreeSnapshot;

namespace {

std::string mermaid(const TreeSnapshot& snap, bool annotate = false) {
    ExportOptions o;
    o.format = ExportFormat::Mermaid;
    o.annotate = annotate;
    auto r = DiagramExporter::exportSnapshot(snap, o);
    if (!r.ok()) qWarning("export failed: %s", r.error.c_str());
    return r.data;
}

} // namespace

class TestMermaidExporter : public QObject {
    Q_OBJECT
private slots:
    void golden_data() {
        QTest::addColumn<QString>("system");
        QTest::addColumn<bool>("annotate");
        QTest::addColumn<QString>("golden");
        for (const char* s : {"todo", "streams", "hangman"}) {
            const QString n = s;
            QTest::newRow(qPrintable(n)) << n << false << n + ".mmd";
            QTest::newRow(qPrintable(n + " annotated")) << n << true << n + ".annotated.mmd";
        }
    }
    void golden() {
        QFETCH(QString, system);
        QFETCH(bool, annotate);
        QFETCH(QString, golden);
        const auto snap = fixture(system.toUtf8().constData());
        QVERIFY(!snap.processes.empty());
        CANOPY_COMPARE_GOLDEN(mermaid(snap, annotate), golden);
    }

    void structure() {
        const QString src = QString::fromStdString(mermaid(fixture("todo")));
        QVERIFY(src.startsWith("flowchart TD\n"));
        // Every node declared once with a safe id; every edge between declared ids.
        static const QRegularExpression nodeLine(QStringLiteral("^    (n_[A-Za-z0-9_]+)(\\[\\[|\\[|\\()\""),
                                                 QRegularExpression::MultilineOption);
        static const QRegularExpression edgeLine(QStringLiteral("^    (n_[A-Za-z0-9_]+) --> (n_[A-Za-z0-9_]+)$"),
                                                 QRegularExpression::MultilineOption);
        QSet<QString> ids;
        for (auto it = nodeLine.globalMatch(src); it.hasNext();) {
            const QString id = it.next().captured(1);
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
        }
        QCOMPARE(ids.size(), 10);
        int edges = 0;
        for (auto it = edgeLine.globalMatch(src); it.hasNext(); ++edges) {
            auto m = it.next();
            QVERIFY(ids.contains(m.captured(1)));
            QVERIFY(ids.contains(m.captured(2)));
        }
        QCOMPARE(edges, 9);
        QVERIFY(src.contains("[[\"Todo.ServerSupervisor<br/>(DynamicSupervisor)\"]]"));
        QVERIFY(src.contains("(\"Todo.Server ×6\")"));
    }

    void collidingIdsAreMadeUnique() {
        TreeSnapshot snap;
        ProcessRecord root;
        root.pid = 1;
        root.name = "a.b";
        root.kind = "supervisor";
        ProcessRecord other = root;
        other.pid = 2;
        other.name = "a_b"; // same identifier after sanitising
        snap.processes = {{1, root}, {2, other}};
        const QString src = QString::fromStdString(mermaid(snap));
        QVERIFY(src.contains("n_a_b[\""));
        QVERIFY(src.contains("n_a_b_2[\""));
    }

    void bigTreesCarryAWarning() {
        TreeSnapshot snap;
        ProcessRecord root;
        root.pid = 1;
        root.name = "Root";
        root.kind = "supervisor";
        snap.processes[1] = root;
        for (std::uint64_t i = 0; i < 600; ++i) {
            ProcessRecord w;
            w.pid = 10 + i;
            w.parent = 1;
            w.childId = "w" + std::to_string(i);
            w.startOrder = i;
            snap.processes[w.pid] = w;
        }
        const QString src = QString::fromStdString(mermaid(snap));
        QVERIFY(src.startsWith("flowchart TD\n    %% 600 edges"));
        QVERIFY(!QString::fromStdString(mermaid(fixture("todo"))).contains("%%"));
    }

    void labelsAreEscaped() {
        TreeSnapshot snap;
        ProcessRecord root;
        root.pid = 1;
        root.name = "say \"hi\" <b>#1</b>";
        snap.processes = {{1, root}};
        const std::string src = mermaid(snap);
        QVERIFY(src.find("say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;") != std::string::npos);
        QCOMPARE(MermaidExporter::identifier("Todo.Sup/x*"), std::string("n_Todo_Sup__x_herd"));
    }
};

QTEST_GUILESS_MAIN(TestMermaidExporter)
#include "test_mermaid_exporter.moc"
