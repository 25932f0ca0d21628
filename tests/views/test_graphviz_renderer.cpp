// PDF/SVG/PNG through the Graphviz library: page count and size, text present, fonts embedded,
// PNG conversion with pdftoppm (the PNG is also kept for a human to look at).
#include "export_test_support.h"

#include "views/export/diagram_exporter.h"
#include "views/export/graphviz_renderer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace canopy::exporting;
using namespace canopy::exporting::test;
using canopy::introspection::ProcessRecord;
using canopy::introspection::TreeSnapshot;

namespace {

ExportResult render(const TreeSnapshot& snap, ExportFormat format, const std::string& page = "",
                    bool annotate = false, bool clusters = false) {
    ExportOptions o;
    o.format = format;
    o.page = page;
    o.annotate = annotate;
    o.clusters = clusters;
    return DiagramExporter::exportSnapshot(snap, o);
}

QString writeTemp(const QTemporaryDir& dir, const QString& name, const std::string& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    return path;
}

QString pdfField(const QByteArray& info, const QString& field) {
    for (const QByteArray& line : info.split('\n'))
        if (line.startsWith(field.toUtf8() + ":")) return QString::fromUtf8(line.mid(field.size() + 1)).trimmed();
    return {};
}

} // namespace

class TestGraphvizRenderer : public QObject {
    Q_OBJECT
private slots:
    void pdfOfEachDemoSystem_data() {
        QTest::addColumn<QString>("system");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("todo") << "todo" << QStringList{"Todo.Supervisor", "rest_for_one", "Todo.Cache", "DynamicSupervisor"};
        QTest::newRow("streams") << "streams" << QStringList{"Streams.RootSupervisor", "StreamInfoFetcher", "one_for_all"};
        QTest::newRow("hangman") << "hangman" << QStringList{"Hangman.Dictionary", "Hangman.Game", "Hangman.Player"};
    }
    void pdfOfEachDemoSystem() {
        if (!haveTool("pdfinfo") || !haveTool("pdftotext") || !haveTool("pdffonts")) QSKIP("poppler-utils not installed");
        QFETCH(QString, system);
        QFETCH(QStringList, names);
        auto r = render(fixture(system.toUtf8().constData()), ExportFormat::Pdf, "", true);
        QVERIFY2(r.ok(), r.error.c_str());
        QVERIFY(r.data.rfind("%PDF-", 0) == 0);
        QTemporaryDir dir;
        const QString pdf = writeTemp(dir, system + ".pdf", r.data);

        QByteArray info;
        QCOMPARE(runTool("pdfinfo", {pdf}, {}, &info), 0);
        QCOMPARE(pdfField(info, "Pages"), QString("1"));
        const QString size = pdfField(info, "Page size");
        QVERIFY2(size.startsWith("595 x 842") || size.startsWith("842 x 595"), qPrintable(size)); // A4 either way

        QByteArray text;
        QCOMPARE(runTool("pdftotext", {pdf, "-"}, {}, &text), 0);
        for (const QString& n : names) QVERIFY2(text.contains(n.toUtf8()), qPrintable(n + " missing in:\n" + text));

        QByteArray fonts;
        QCOMPARE(runTool("pdffonts", {pdf}, {}, &fonts), 0);
        const QList<QByteArray> rows = fonts.split('\n');
        int fontRows = 0;
        for (qsizetype i = 2; i < rows.size(); ++i) {
            const QList<QByteArray> cols = rows[i].simplified().split(' ');
            if (cols.size() < 5) continue;
            ++fontRows;
            // columns: name type... emb sub uni object ID; emb is the 5th from the end.
            QVERIFY2(cols[cols.size() - 5] == "yes", rows[i].constData());
        }
        QVERIFY(fontRows >= 1);

        if (haveTool("pdftoppm")) {
            const QString prefix = QDir::current().filePath("export-" + system);
            QCOMPARE(runTool("pdftoppm", {"-png", "-r", "50", "-singlefile", pdf, prefix}, {}, nullptr), 0);
            QFile png(prefix + ".png");
            QVERIFY(png.open(QIODevice::ReadOnly));
            QVERIFY(png.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));
        }
    }

    void posterAndCustomPages() {
        if (!haveTool("pdfinfo")) QSKIP("poppler-utils not installed");
        QTemporaryDir dir;
        for (const auto& [page, expect] : std::vector<std::pair<std::string, QString>>{
                 {"a0", "2384 x 3370"}, {"24x36", "1728 x 2592"}, {"letter", "612 x 792"}}) {
            auto r = render(fixture("hangman"), ExportFormat::Pdf, page);
            QVERIFY2(r.ok(), r.error.c_str());
            QByteArray info;
            QCOMPARE(runTool("pdfinfo", {writeTemp(dir, QString::fromStdString(page) + ".pdf", r.data)}, {}, &info), 0);
            const QString size = pdfField(info, "Page size");
            QStringList wh = expect.split(" x ");
            QVERIFY2(size.startsWith(expect) || size.startsWith(wh[1] + " x " + wh[0]), qPrintable(size));
        }
    }

    void naturalSizePdf() {
        auto r = render(fixture("todo"), ExportFormat::Pdf, "none");
        QVERIFY2(r.ok(), r.error.c_str());
        QVERIFY(r.data.rfind("%PDF-", 0) == 0);
    }

    void svgAndPng() {
        auto svg = render(fixture("streams"), ExportFormat::Svg, "", false, true);
        QVERIFY2(svg.ok(), svg.error.c_str());
        QVERIFY(svg.data.find("<svg") != std::string::npos);
        QVERIFY(svg.data.find("Stream.Supervisor ×3") != std::string::npos);
        auto png = render(fixture("streams"), ExportFormat::Png);
        QVERIFY2(png.ok(), png.error.c_str());
        QCOMPARE(png.data.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    }

    void boxLayoutForBigTrees() {
        if (!haveTool("pdftotext")) QSKIP("poppler-utils not installed");
        // 1 + 20 supervisors x 30 workers = 621 nodes: above the dot limit, so `auto` uses the box layout.
        TreeSnapshot snap;
        ProcessRecord root;
        root.pid = 1;
        root.name = "Big.Root";
        root.kind = "supervisor";
        root.strategy = "one_for_one";
        snap.processes[1] = root;
        std::uint64_t pid = 2;
        for (int s = 0; s < 20; ++s) {
            ProcessRecord sup = root;
            sup.pid = pid++;
            sup.parent = 1;
            sup.name = "Big.Sup" + std::to_string(s);
            sup.startOrder = static_cast<std::uint64_t>(s);
            snap.processes[sup.pid] = sup;
            for (int w = 0; w < 30; ++w) {
                ProcessRecord wr;
                wr.pid = pid++;
                wr.parent = sup.pid;
                wr.childId = "w" + std::to_string(w);
                wr.startOrder = static_cast<std::uint64_t>(w);
                snap.processes[wr.pid] = wr;
            }
        }
        QTemporaryDir dir;
        for (const char* page : {"a4", "a0"}) {
            auto r = render(snap, ExportFormat::Pdf, page);
            QVERIFY2(r.ok(), r.error.c_str());
            QByteArray text;
            QCOMPARE(runTool("pdftotext", {writeTemp(dir, QString("big-%1.pdf").arg(page), r.data), "-"}, {}, &text), 0);
            QVERIFY(text.contains("Big.Root"));
            QVERIFY(text.contains("Big.Sup19"));
            if (haveTool("pdftoppm") && QString(page) == "a4")
                runTool("pdftoppm", {"-png", "-r", "60", "-singlefile", dir.filePath("big-a4.pdf"),
                                     QDir::current().filePath("export-big")}, {}, nullptr);
        }
        // A PNG without a page stays a sane size (at most 8000 px a side) and roughly poster-shaped.
        auto png = render(snap, ExportFormat::Png);
        QVERIFY2(png.ok(), png.error.c_str());
        QVERIFY(png.data.size() > 24);
        auto be32 = [&](std::size_t at) {
            return (static_cast<unsigned>(static_cast<unsigned char>(png.data[at])) << 24) |
                   (static_cast<unsigned>(static_cast<unsigned char>(png.data[at + 1])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(png.data[at + 2])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(png.data[at + 3]));
        };
        const unsigned w = be32(16), h = be32(20); // IHDR width, height
        QVERIFY2(w <= 8000 && h <= 8000 && w > 100 && h > 100, qPrintable(QString("%1 x %2").arg(w).arg(h)));
        QVERIFY2(std::max(w, h) < 4 * std::min(w, h), qPrintable(QString("%1 x %2").arg(w).arg(h)));
        // The box layout on a small tree, asked for explicitly.
        ExportOptions o;
        o.format = ExportFormat::Svg;
        o.layout = "boxes";
        auto svg = DiagramExporter::exportSnapshot(fixture("todo"), o);
        QVERIFY2(svg.ok(), svg.error.c_str());
        QVERIFY(svg.data.find("Todo.Server ×6") != std::string::npos);
        o.layout = "spiral";
        auto bad = DiagramExporter::exportSnapshot(fixture("todo"), o);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error.find("unknown layout 'spiral'") != std::string::npos);
    }

    void autoPicksDotUpToTheNodeLimit() {
        // `auto` draws with dot up to DiagramExporter::kDotNodeLimit drawn nodes and with the box
        // layout beyond: the same bytes as asking for that layout by name. (A flat tree, which dot
        // lays out quickly; the workers have distinct names, so nothing is grouped into a herd.)
        auto flat = [](std::size_t nodes) {
            TreeSnapshot snap;
            ProcessRecord root;
            root.pid = 1;
            root.name = "Flat.Root";
            root.kind = "supervisor";
            root.strategy = "one_for_one";
            snap.processes[1] = root;
            for (std::uint64_t i = 2; i <= nodes; ++i) {
                ProcessRecord w;
                w.pid = i;
                w.parent = 1;
                w.name = "worker_" + std::to_string(i);
                w.startOrder = i;
                snap.processes[i] = w;
            }
            return snap;
        };
        auto svg = [](const TreeSnapshot& snap, const char* layout) {
            ExportOptions o;
            o.format = ExportFormat::Svg;
            o.layout = layout;
            auto r = DiagramExporter::exportSnapshot(snap, o);
            if (!r.ok()) qWarning("%s", r.error.c_str());
            return r.data;
        };
        static_assert(DiagramExporter::kDotNodeLimit == 400, "the rows below straddle the limit");
        const TreeSnapshot atLimit = flat(DiagramExporter::kDotNodeLimit);
        const std::string autoAt = svg(atLimit, "auto"), boxesAt = svg(atLimit, "boxes");
        QVERIFY(!autoAt.empty() && !boxesAt.empty());
        QVERIFY2(autoAt != boxesAt, "the two layouts give the same drawing: the test cannot tell them apart");
        QVERIFY2(autoAt == svg(atLimit, "dot"), "400 nodes: auto did not draw with dot");
        const TreeSnapshot over = flat(DiagramExporter::kDotNodeLimit + 1);
        QVERIFY2(svg(over, "auto") == svg(over, "boxes"), "401 nodes: auto did not use the box layout");
    }

    void pageNames() {
        GraphvizRenderer::Page p;
        QVERIFY(GraphvizRenderer::parsePage("a4", p));
        QCOMPARE(p.width, 8.27);
        QVERIFY(GraphvizRenderer::parsePage("8.5x11", p));
        QCOMPARE(p.height, 11.0);
        QVERIFY(GraphvizRenderer::parsePage("none", p));
        QCOMPARE(p.width, 0.0);
        for (const char* bad : {"", "a9", "x11", "8x", "0x0", "axb", "1e9x1", "-3x4", "10x10x10"})
            QVERIFY2(!GraphvizRenderer::parsePage(bad, p), bad);
        auto r = render(fixture("todo"), ExportFormat::Pdf, "b5");
        QVERIFY(!r.ok());
        QVERIFY(r.error.find("unknown page size 'b5'") != std::string::npos);
    }

    void errorsAreValues() {
        auto empty = render(TreeSnapshot{}, ExportFormat::Pdf);
        QVERIFY(!empty.ok());
        QVERIFY(!empty.error.empty());
        auto broken = GraphvizRenderer("pdf", {}, false, 96).render("digraph { a -> ");
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error.rfind("graphviz:", 0) == 0, broken.error.c_str());
        QVERIFY(broken.error.find('\n') == std::string::npos);
        auto format = GraphvizRenderer("gif", {}, false, 96).render("digraph { a }");
        QVERIFY(!format.ok());
        // Still works after an error.
        QVERIFY(GraphvizRenderer("svg", {}, false, 96).render("digraph { a -> b }").ok());
    }
};

QTEST_GUILESS_MAIN(TestGraphvizRenderer)
#include "test_graphviz_renderer.moc"
