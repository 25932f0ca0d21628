// `canopyctl export`: argument checking, one-line errors, files and stdout. Drives the same
// addExportCommand() that canopyctl's main uses, inside a CLI::App like canopyctl's.
#include "export_test_support.h"

#include "app/canopyctl/export_command.h"

#include <CLI/CLI.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <iostream>
#include <sstream>

using namespace canopy::exporting::test;

namespace {

struct Outcome {
    int code = 0;
    std::string error;  // the CLI11 error message (one line), empty on success
    std::string stdoutText;
};

/// Parses `args` like canopyctl's main: a CLI11 error is one line and a non-zero exit code.
Outcome runExport(std::vector<std::string> args) {
    CLI::App app{"canopyctl test"};
    app.require_subcommand(1);
    canopy::app::addExportCommand(app);
    std::vector<std::string> argv{"canopyctl", "export"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    std::ostringstream captured;
    std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
    Outcome out;
    try {
        app.parse(static_cast<int>(raw.size()), raw.data());
    } catch (const CLI::ParseError& e) {
        out.code = e.get_exit_code();
        out.error = e.what();
    }
    std::cout.rdbuf(old);
    out.stdoutText = captured.str();
    return out;
}

std::string todo() { return (sourceDir() + "/tests/views/fixtures/todo.json").toStdString(); }

} // namespace

class TestExportCommand : public QObject {
    Q_OBJECT
private slots:
    void asciiToStdout() {
        auto r = runExport({"--format", "ascii", todo(), "-o", "-"});
        QVERIFY2(r.code == 0, r.error.c_str());
        CANOPY_COMPARE_GOLDEN(r.stdoutText, "todo.txt");
    }

    void everyFormatToAFile() {
        QTemporaryDir dir;
        for (const char* f : {"ascii", "dot", "mermaid", "pdf", "svg", "png"}) {
            const std::string path = dir.filePath(QString("out.") + f).toStdString();
            auto r = runExport({"--format", f, "--annotate", todo(), "-o", path});
            QVERIFY2(r.code == 0, r.error.c_str());
            QFile file(QString::fromStdString(path));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(file.size() > 100, f);
        }
    }

    void sessionFileEveryFormat() {
        // fixtures/todo-session.canopy: one second of `canopy-demo todo --chaos 2` recorded by
        // `canopyctl record --encoding cbor`; read through introspection's snapshot loader.
        const std::string session = (sourceDir() + "/tests/views/fixtures/todo-session.canopy").toStdString();
        QTemporaryDir dir;
        for (const char* f : {"ascii", "dot", "mermaid", "pdf", "svg", "png"}) {
            const std::string path = dir.filePath(QString("session.") + f).toStdString();
            auto r = runExport({"--format", f, "--annotate", "--at", "100000s", session, "-o", path});
            QVERIFY2(r.code == 0, r.error.c_str());
            QFile file(QString::fromStdString(path));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(file.size() > 100, f);
        }
        auto text = runExport({"--format", "ascii", session, "-o", "-"});
        QVERIFY2(text.code == 0, text.error.c_str());
        for (const char* name : {"Todo.Supervisor", "(rest_for_one)", "Todo.PoolSupervisor", "(DynamicSupervisor)",
                                 "Todo.Server ×", "Todo.Cache"})
            QVERIFY2(text.stdoutText.find(name) != std::string::npos, name);
        auto bad = runExport({"--format", "ascii", "/nonexistent/x.canopy", "-o", "-"});
        QVERIFY(bad.code != 0);
        QVERIFY(bad.error.find('\n') == std::string::npos);
    }

    void optionsReachTheExporter() {
        auto narrow = runExport({"-f", "ascii", "--ascii", "--width", "40", todo(), "-o", "-"});
        QVERIFY2(narrow.code == 0, narrow.error.c_str());
        for (unsigned char c : narrow.stdoutText) QVERIFY(c < 0x80);
        auto clusters = runExport({"-f", "dot", "--clusters", "--no-herds", todo(), "-o", "-"});
        QVERIFY2(clusters.code == 0, clusters.error.c_str());
        QVERIFY(clusters.stdoutText.find("subgraph \"cluster_") != std::string::npos);
        QVERIFY(clusters.stdoutText.find("box3d") == std::string::npos);
    }

    void badArgumentsGiveOneClearLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString t = QString::fromStdString(todo());
        QTest::newRow("unknown format") << QStringList{"-f", "jpeg", t, "-o", "-"} << "export: unknown format 'jpeg' (use ascii|dot|pdf|svg|png|mermaid)";
        QTest::newRow("narrow width") << QStringList{"-f", "ascii", "--width", "5", t, "-o", "-"} << "--width must be at least 20";
        QTest::newRow("bad page") << QStringList{"-f", "pdf", "--page", "b7", t, "-o", "x.pdf"} << "unknown page size 'b7'";
        QTest::newRow("bad time") << QStringList{"-f", "ascii", "--at", "soon", t, "-o", "-"} << "--at 'soon' is not a time";
        QTest::newRow("at on a snapshot") << QStringList{"-f", "ascii", "--at", "3s", t, "-o", "-"} << "--at needs a session file";
        QTest::newRow("binary to stdout") << QStringList{"-f", "pdf", t, "-o", "-"} << "--format pdf is binary";
        QTest::newRow("unwritable") << QStringList{"-f", "dot", t, "-o", "/nonexistent-dir/x.dot"} << "cannot write '/nonexistent-dir/x.dot'";
        QTest::newRow("missing source") << QStringList{"-f", "dot", "/nonexistent/snap.json", "-o", "-"} << "cannot read '/nonexistent/snap.json'";
        QTest::newRow("bad dpi") << QStringList{"-f", "png", "--dpi", "5", t, "-o", "x.png"} << "--dpi must be between";
    }
    void badArgumentsGiveOneClearLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        std::vector<std::string> a;
        for (const QString& s : args) a.push_back(s.toStdString());
        auto r = runExport(a);
        QVERIFY(r.code != 0);
        QVERIFY2(QString::fromStdString(r.error).contains(expected), r.error.c_str());
        QVERIFY(r.error.find('\n') == std::string::npos);
        QVERIFY(r.stdoutText.empty());
    }

    void corruptSnapshotFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("corrupt.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"processes":[{"pid":1,"kind":7}]})");
        f.close();
        auto r = runExport({"-f", "ascii", path.toStdString(), "-o", "-"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.error.find("corrupt.json: processes[0].kind") != std::string::npos, r.error.c_str());
    }

    void missingRequiredOptionsAreParseErrors() {
        QVERIFY(runExport({todo(), "-o", "-"}).code != 0);           // no --format
        QVERIFY(runExport({"-f", "ascii", "-o", "-"}).code != 0);    // no SOURCE
        QVERIFY(runExport({"-f", "ascii", todo()}).code != 0);       // no -o
    }
};

QTEST_GUILESS_MAIN(TestExportCommand)
#include "test_export_command.moc"
