// `canopyctl export`: argument checking, one-line errors, files and stdout. Drives the same
// addExportCommand() that canopyctl's main uses, inside a CLI::App like canopyctl's.
#include "export_test_support.h"

#include "app/canopyctl/export_command.h"
#include "introspection/session_writer.h"
#include "views/export/snapshot_json.h"

#include <CLI/CLI.hpp>

#include <QRegularExpression>
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

    void atTakesEveryTimeUnit_data() {
        // A session (start at 0): root_sup with one worker; `late` spawned at 2 s, `much_later` at 150 s.
        QTest::addColumn<QString>("at");
        QTest::addColumn<bool>("late");
        QTest::addColumn<bool>("muchLater");
        QTest::newRow("plain seconds") << "1" << false << false;
        QTest::newRow("1s") << "1s" << false << false;
        QTest::newRow("1999ms") << "1999ms" << false << false;
        QTest::newRow("2000ms") << "2000ms" << true << false;
        QTest::newRow("1999999us") << "1999999us" << false << false;
        QTest::newRow("2000000us") << "2000000us" << true << false;
        QTest::newRow("1999999999ns") << "1999999999ns" << false << false;
        QTest::newRow("2000000000ns") << "2000000000ns" << true << false;
        QTest::newRow("2.5 plain") << "2.5" << true << false;
        QTest::newRow("2m") << "2m" << true << false;
        QTest::newRow("2.5min") << "2.5min" << true << true;
        QTest::newRow("149.9s") << "149.9s" << true << false;
        QTest::newRow("150s") << "150s" << true << true;
    }
    void atTakesEveryTimeUnit() {
        QFETCH(QString, at);
        QFETCH(bool, late);
        QFETCH(bool, muchLater);
        using namespace canopy::introspection;
        QTemporaryDir dir;
        const std::string session = dir.filePath("units.canopy").toStdString();
        {
            SessionWriter w;
            SessionHeader h;
            h.startNs = 0;
            QVERIFY(w.open(session, h).ok());
            Keyframe k;
            ProcessRecord root, worker;
            root.pid = 1;
            root.name = "root_sup";
            root.kind = "supervisor";
            root.strategy = "one_for_one";
            worker.pid = 2;
            worker.parent = 1;
            worker.name = "first";
            k.processes = {root, worker};
            QVERIFY(w.write(k).ok());
            Delta d;
            d.seq = 1;
            d.timeNs = 2'000'000'000;
            d.type = DeltaType::Spawn;
            d.pid = 3;
            d.peer = 1;
            d.process = worker;
            d.process->pid = 3;
            d.process->name = "late";
            QVERIFY(w.write(d).ok());
            d.seq = 2;
            d.timeNs = 150'000'000'000;
            d.pid = 4;
            d.process->pid = 4;
            d.process->name = "much_later";
            QVERIFY(w.write(d).ok());
            QVERIFY(w.close().ok());
        }
        auto r = runExport({"-f", "ascii", "--at", at.toStdString(), session, "-o", "-"});
        QVERIFY2(r.code == 0, r.error.c_str());
        QVERIFY2(r.stdoutText.find("first") != std::string::npos, r.stdoutText.c_str());
        QVERIFY2((r.stdoutText.find("late") != std::string::npos) == late, r.stdoutText.c_str());
        QVERIFY2((r.stdoutText.find("much_later") != std::string::npos) == muchLater, r.stdoutText.c_str());
    }

    void landscapeTurnsThePage() {
        // A tall tree (a chain of supervisors) fits an A4 page best upright; --landscape turns the
        // page anyway. Read from the PDF's page box.
        canopy::introspection::TreeSnapshot tall;
        for (std::uint64_t i = 1; i <= 8; ++i) {
            canopy::introspection::ProcessRecord r;
            r.pid = i;
            r.parent = i - 1;
            r.name = "level_" + std::to_string(i);
            r.kind = "supervisor";
            r.strategy = "one_for_one";
            tall.processes[i] = r;
        }
        QTemporaryDir dir;
        const QString json = dir.filePath("tall.json");
        {
            QFile f(json);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(canopy::exporting::SnapshotJson::toJson(tall)));
        }
        auto pageOf = [&](std::vector<std::string> extra) -> QSizeF {
            const std::string out = dir.filePath("tall.pdf").toStdString();
            std::vector<std::string> args{"-f", "pdf", "--page", "a4", json.toStdString(), "-o", out};
            args.insert(args.end(), extra.begin(), extra.end());
            auto r = runExport(args);
            if (r.code != 0) qWarning("%s", r.error.c_str());
            QFile f(QString::fromStdString(out));
            if (!f.open(QIODevice::ReadOnly)) return {};
            const auto m = QRegularExpression(R"(/MediaBox\s*\[\s*([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s*\])")
                               .match(QString::fromLatin1(f.readAll()));
            if (!m.hasMatch()) return {};
            return {m.captured(3).toDouble() - m.captured(1).toDouble(), m.captured(4).toDouble() - m.captured(2).toDouble()};
        };
        const QSizeF upright = pageOf({});
        QVERIFY2(qRound(upright.width()) == 595 && qRound(upright.height()) == 842,
                 qPrintable(QString("%1 x %2").arg(upright.width()).arg(upright.height())));
        const QSizeF turned = pageOf({"--landscape"});
        QVERIFY2(qRound(turned.width()) == 842 && qRound(turned.height()) == 595,
                 qPrintable(QString("%1 x %2").arg(turned.width()).arg(turned.height())));
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
