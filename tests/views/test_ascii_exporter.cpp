// ASCII/Unicode box diagrams: goldens of the three demo systems, width awareness, herds,
// determinism, and robustness on odd trees.
#include "export_test_support.h"

#include "views/export/diagram_exporter.h"
#include "views/export/text_canvas.h"
#include "introspection/pid_text.h"

#include <QTest>

using namespace canopy::exporting;
using namespace canopy::exporting::test;
using canopy::introspection::ProcessRecord;
using canopy::introspection::TreeSnapshot;

namespace {

std::string ascii(const TreeSnapshot& snap, int width = 100, bool plain = false, bool annotate = false,
                  bool herds = true) {
    ExportOptions o;
    o.format = ExportFormat::Ascii;
    o.width = width;
    o.plainAscii = plain;
    o.annotate = annotate;
    o.herds = herds;
    auto r = DiagramExporter::exportSnapshot(snap, o);
    if (!r.ok()) qWarning("export failed: %s", r.error.c_str());
    return r.data;
}

int widestLine(const std::string& text) {
    int widest = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        widest = std::max(widest, static_cast<int>(TextCanvas::decodeUtf8(text.substr(start, end - start)).size()));
        start = end + 1;
    }
    return widest;
}

ProcessRecord rec(std::uint64_t pid, std::uint64_t parent, std::string name, std::string kind = "worker",
                  std::uint64_t order = 0) {
    ProcessRecord r;
    r.pid = pid;
    r.parent = parent;
    r.name = std::move(name);
    r.kind = std::move(kind);
    r.strategy = r.kind == "worker" ? "" : "one_for_one";
    r.startOrder = order;
    r.pidText = canopy::introspection::pidText(pid);
    return r;
}

} // namespace

class TestAsciiExporter : public QObject {
    Q_OBJECT
private slots:
    void golden_data() {
        QTest::addColumn<QString>("system");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("plain");
        QTest::addColumn<bool>("annotate");
        QTest::addColumn<QString>("golden");
        for (const char* s : {"todo", "streams", "hangman"}) {
            const QString n = s;
            QTest::newRow(qPrintable(n + " unicode")) << n << 100 << false << false << n + ".txt";
            QTest::newRow(qPrintable(n + " ascii")) << n << 100 << true << false << n + ".ascii.txt";
            QTest::newRow(qPrintable(n + " annotated")) << n << 100 << false << true << n + ".annotated.txt";
            QTest::newRow(qPrintable(n + " narrow")) << n << 40 << false << false << n + ".w40.txt";
            QTest::newRow(qPrintable(n + " unlimited")) << n << 0 << false << false << n + ".wide.txt";
        }
    }
    void golden() {
        QFETCH(QString, system);
        QFETCH(int, width);
        QFETCH(bool, plain);
        QFETCH(bool, annotate);
        QFETCH(QString, golden);
        const auto snap = fixture(system.toUtf8().constData());
        QVERIFY(!snap.processes.empty());
        CANOPY_COMPARE_GOLDEN(ascii(snap, width, plain, annotate), golden);
    }

    void todoReadsLikeTheHandDrawnDiagram() {
        const std::string out = ascii(fixture("todo"));
        // Names in boxes, strategies in parentheses, the dynamic supervisor marked, the herd stacked.
        QVERIFY(out.find("│ Todo.Supervisor │") != std::string::npos);
        QVERIFY(out.find("(rest_for_one)") != std::string::npos);
        QVERIFY(out.find("(one_for_one)") != std::string::npos);
        QVERIFY(out.find("(DynamicSupervisor)") != std::string::npos);
        QVERIFY(out.find("Todo.Server ×6 ├┐") != std::string::npos);
        QVERIFY(out.find("└┬───────────────┘├┐") != std::string::npos);
        // The root's two children side by side under it, entered from above.
        QVERIFY(out.find("┴") != std::string::npos);
        QVERIFY(out.find("▼") != std::string::npos);
        const auto lineOf = [&](const char* s) { return std::count(out.begin(), out.begin() + out.find(s), '\n'); };
        QCOMPARE(lineOf("Todo.ProcessRegistry"), lineOf("Todo.SystemSupervisor"));
    }

    void plainAsciiIsPureAscii() {
        for (const char* s : {"todo", "streams", "hangman"}) {
            const std::string out = ascii(fixture(s), 100, true, true);
            QVERIFY(!out.empty());
            for (unsigned char c : out) QVERIFY2(c < 0x80, s);
        }
    }

    void respectsWidth_data() {
        QTest::addColumn<int>("width");
        QTest::newRow("40") << 40;
        QTest::newRow("60") << 60;
        QTest::newRow("80") << 80;
        QTest::newRow("120") << 120;
    }
    void respectsWidth() {
        QFETCH(int, width);
        for (const char* s : {"todo", "streams", "hangman"}) {
            const std::string out = ascii(fixture(s), width);
            QVERIFY2(widestLine(out) <= width, qPrintable(QString("%1 at width %2:\n%3").arg(s).arg(width).arg(QString::fromStdString(out))));
        }
    }

    void wideFanOutStacksInsteadOfRunningOffThePage() {
        TreeSnapshot snap;
        snap.processes[1] = rec(1, 0, "Root", "supervisor");
        for (std::uint64_t i = 0; i < 40; ++i) snap.processes[10 + i] = rec(10 + i, 1, "worker_" + std::to_string(i), "worker", i);
        const std::string out = ascii(snap, 80);
        QVERIFY(widestLine(out) <= 80);
        QVERIFY(out.find("worker_39") != std::string::npos);
        QVERIFY(out.find("├─▶") != std::string::npos);
        QVERIFY(out.find("└─▶") != std::string::npos);
        // Unlimited width: all side by side on one row.
        const std::string wide = ascii(snap, 0);
        QVERIFY(widestLine(wide) > 80);
    }

    void manyStackedChildrenUseColumns() {
        TreeSnapshot snap;
        snap.processes[1] = rec(1, 0, "Root", "supervisor");
        for (std::uint64_t i = 0; i < 40; ++i) snap.processes[10 + i] = rec(10 + i, 1, "w" + std::to_string(i), "worker", i);
        const std::string out = ascii(snap, 100);
        QVERIFY(widestLine(out) <= 100);
        const auto rows = std::count(out.begin(), out.end(), '\n');
        QVERIFY2(rows < 40 * 3 / 2, qPrintable(QString::fromStdString(out))); // not one long column
        QVERIFY(out.find("w39") != std::string::npos);
        QVERIFY(out.find("┬") != std::string::npos); // the bar the later columns hang from
        // Few children stay in one column.
        TreeSnapshot few;
        few.processes[1] = rec(1, 0, "Root", "supervisor");
        for (std::uint64_t i = 0; i < 6; ++i)
            few.processes[10 + i] = rec(10 + i, 1, "a_rather_long_worker_name_" + std::to_string(i), "worker", i);
        const std::string one = ascii(few, 60);
        QCOMPARE(std::count(one.begin(), one.end(), '\n'), 4 + 6 * 3); // root box (name + strategy) + 6 boxes
    }

    void sameSnapshotSameBytesWhateverThePids() {
        const auto snap = fixture("streams");
        // Renumber every pid (reversing their order) keeping the structure: output must not change.
        TreeSnapshot renumbered;
        renumbered.timeNs = snap.timeNs;
        const std::uint64_t base = 100000;
        for (const auto& [pid, r] : snap.processes) {
            ProcessRecord c = r;
            c.pid = base - pid;
            c.parent = r.parent ? base - r.parent : 0;
            c.pidText = canopy::introspection::pidText(c.pid);
            renumbered.processes[c.pid] = c;
        }
        for (const auto& [sup, list] : snap.ghosts)
            for (ProcessRecord g : list) {
                g.parent = base - sup;
                renumbered.ghosts[g.parent].push_back(g);
            }
        QCOMPARE(ascii(renumbered, 100, false, true), ascii(snap, 100, false, true));
        QCOMPARE(ascii(snap), ascii(snap));
    }

    void noHerdsDrawsEveryChild() {
        const std::string out = ascii(fixture("todo"), 0, false, false, false);
        QVERIFY(out.find("×") == std::string::npos);
        std::size_t count = 0;
        for (std::size_t p = out.find("Todo.Server"); p != std::string::npos; p = out.find("Todo.Server", p + 1))
            if (out.compare(p, 17, "Todo.ServerSuperv") != 0) ++count;
        QCOMPARE(count, std::size_t{6});
    }

    void emptySnapshot() { QCOMPARE(ascii(TreeSnapshot{}), std::string("(no processes)\n")); }

    void severalRootsAndOrphans() {
        TreeSnapshot snap;
        snap.processes[1] = rec(1, 0, "A", "supervisor", 0);
        snap.processes[2] = rec(2, 1, "A.child", "worker", 0);
        snap.processes[3] = rec(3, 999, "orphan", "worker", 1); // parent not in the snapshot
        snap.processes[4] = rec(4, 4, "self-parent", "worker", 2);
        const std::string out = ascii(snap);
        for (const char* name : {"A.child", "orphan", "self-parent"}) QVERIFY2(out.find(name) != std::string::npos, name);
    }

    void deepChainIsCutNotCrashed() {
        TreeSnapshot snap;
        for (std::uint64_t i = 1; i <= 5000; ++i) snap.processes[i] = rec(i, i - 1, "s" + std::to_string(i), "supervisor");
        const std::string out = ascii(snap, 100);
        QVERIFY(out.find("levels deeper than") != std::string::npos);
        QVERIFY(out.find("s1 ") != std::string::npos);
    }

    void parentCycleIsNotFollowed() {
        TreeSnapshot snap;
        snap.processes[1] = rec(1, 0, "root", "supervisor");
        snap.processes[2] = rec(2, 3, "x", "worker");
        snap.processes[3] = rec(3, 2, "y", "worker");
        const std::string out = ascii(snap);
        QVERIFY(out.find("root") != std::string::npos);
    }

    void oddNamesKeepTheGrid() {
        TreeSnapshot snap;
        snap.processes[1] = rec(1, 0, "Sup\nwith newline", "supervisor");
        snap.processes[2] = rec(2, 1, "naïve ünïcode ✓", "worker");
        snap.processes[3] = rec(3, 1, std::string("bad\xff\xfe utf8"), "worker", 1);
        snap.processes[4] = rec(4, 1, "", "worker", 2); // no name: falls back to pid text
        const std::string out = ascii(snap);
        QVERIFY(out.find("naïve ünïcode ✓") != std::string::npos);
        QVERIFY(out.find("<0.4.0>") != std::string::npos);
        QVERIFY(out.find("Sup with newline") != std::string::npos);
        // Every line is valid UTF-8 and no line is longer than the widest box row.
        QCOMPARE(QString::fromUtf8(out.data(), static_cast<qsizetype>(out.size())).toUtf8().toStdString(), out);
    }
};

QTEST_GUILESS_MAIN(TestAsciiExporter)
#include "test_ascii_exporter.moc"
