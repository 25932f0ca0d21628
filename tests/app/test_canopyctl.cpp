#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "tests/introspection/fake_probe.h"
#include "tests/introspection/sample_session.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace canopy::introspection;

class TestCanopyctl : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 1'000'000'000;
    QTemporaryDir m_dir;
    QString m_session;

    struct Run {
        int code = -1;
        QString out;
        QString err;
    };
    static Run run(const QStringList& args, int timeoutMs = 30000,
                   const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CANOPYCTL_PATH), args);
        Run r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.err = "timed out";
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }
    static QJsonObject json(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }
    static void oneErrorLine(const Run& r, const QString& mention) {
        QVERIFY2(r.code != 0, qPrintable(r.err));
        const QStringList lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.front().startsWith("canopyctl: error: "), qPrintable(r.err));
        QVERIFY2(r.err.contains(mention, Qt::CaseInsensitive), qPrintable(r.err));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_session = m_dir.path() + "/sample.canopy";
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        h.source = "unit test";
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 4;
        QVERIFY(w.open(m_session.toStdString(), h, o).ok());
        w.write(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
        QVERIFY(w.close().ok());
    }

    void argumentErrors_data() {
        // Every subcommand: one `canopyctl: error:` line; exit 2 for usage (CLI11), 1 for bad input.
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mention");
        QTest::addColumn<int>("code");
        QTest::newRow("no subcommand") << QStringList{} << "subcommand" << 2;
        QTest::newRow("unknown subcommand") << QStringList{"frobnicate"} << "frobnicate" << 2;
        QTest::newRow("tree without target") << QStringList{"tree"} << "TARGET" << 2;
        QTest::newRow("missing file") << QStringList{"tree", "nope.canopy"} << "no such session file" << 1;
        QTest::newRow("missing file, --at") << QStringList{"tree", "nope.canopy", "--at", "3"} << "no such session file" << 1;
        QTest::newRow("bad port") << QStringList{"tree", "localhost:99999"} << "out of range" << 1;
        QTest::newRow("bad --by") << QStringList{"top", "x", "--by", "memory"} << "--by" << 2;
        QTest::newRow("bad -n") << QStringList{"top", "x", "-n", "0"} << "-n" << 2;
        QTest::newRow("record without -o") << QStringList{"record", "127.0.0.1:1"} << "--output" << 2;
        QTest::newRow("bad diff time") << QStringList{"diff", "a@x", "b"} << "seconds" << 1;
        QTest::newRow("tree: bad --at unit") << QStringList{"tree", "x.canopy", "--at", "3x"} << "--at '3x' is not a time" << 2;
        QTest::newRow("top: negative --at") << QStringList{"top", "x.canopy", "--at", "-1s"} << "is not a time" << 2;
        QTest::newRow("info on a non-session") << QStringList{"info", CANOPYCTL_PATH} << "not a Canopy session file" << 1;
        QTest::newRow("info on a missing file") << QStringList{"info", "nope.canopy"} << "no such session file" << 1;
        QTest::newRow("refused") << QStringList{"tree", "127.0.0.1:1"} << "cannot connect" << 1;
        QTest::newRow("missing token file") << QStringList{"tree", "127.0.0.1:1", "--token-file", "/nonexistent/t"} << "token-file" << 2;
        QTest::newRow("two token sources") << QStringList{"tree", "127.0.0.1:1", "--token", "a", "--token-stdin"} << "excludes" << 2;
        QTest::newRow("export: missing file") << QStringList{"export", "-f", "ascii", "nope.canopy", "-o", "-"} << "no such session file" << 1;
        QTest::newRow("export: bad format") << QStringList{"export", "-f", "gif", "x", "-o", "-"} << "unknown format" << 2;
    }
    void argumentErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mention);
        QFETCH(int, code);
        const Run r = run(args);
        oneErrorLine(r, mention);
        QCOMPARE(r.code, code);
        QVERIFY2(!r.err.contains("is live"), qPrintable(r.err));
    }
    void atBeforeTheFirstKeyframeIsAnError() {
        const QString file = m_dir.path() + "/late.canopy";
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        QVERIFY(w.open(file.toStdString(), h).ok());
        Keyframe k = testing::sampleKeyframe(kStart + 2'000'000'000); // the first tree is at 2 s
        w.write(k);
        QVERIFY(w.close().ok());
        auto r = run({"tree", file, "--at", "1"});
        oneErrorLine(r, "before the first keyframe");
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(run({"tree", file, "--at", "2.5"}).code, 0);
    }
    void warningsSayWarningOnce() {
        std::ifstream in(m_session.toStdString(), std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(bytes.size() * 2 / 3);
        const QString cut = m_dir.path() + "/cut-export.canopy";
        std::ofstream(cut.toStdString(), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        for (const QStringList& args : {QStringList{"export", "-f", "ascii", cut, "-o", "-"}, QStringList{"tree", cut},
                                        QStringList{"info", cut}}) {
            auto r = run(args);
            QVERIFY2(r.code == 0, qPrintable(r.err));
            QVERIFY2(r.err.contains("canopyctl: warning: "), qPrintable(r.err));
            QVERIFY2(!r.err.contains("warning: warning:"), qPrintable(r.err));
        }
    }
    void tokenFromStdinOrAFileDescriptor() {
        testing::FakeProbe probe;
        probe.token = "secret";
        probe.startNs = kStart;
        probe.script.push_back(testing::sampleKeyframe(kStart));
        probe.start();
        const QString target = QString::fromStdString(probe.target());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("CANOPY_TOKEN");
        QTemporaryDir home;
        env.insert("HOME", home.path());
        for (const QStringList& how : {QStringList{"--token-stdin"}, QStringList{"--token-fd", "0"}}) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(CANOPYCTL_PATH), QStringList{"tree", target} + how);
            QVERIFY(p.waitForStarted());
            p.write("secret\n");
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(30000));
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(p.exitCode() == 0 && out.contains("registry"), qPrintable(out + p.readAllStandardError()));
        }
        // An empty stdin is named in the error.
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CANOPYCTL_PATH), {"tree", target, "--token-stdin"});
        QVERIFY(p.waitForStarted());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("no token on stdin"));
    }
    void ghostSlotsAreShown() {
        const QString file = m_dir.path() + "/ghost.canopy";
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        QVERIFY(w.open(file.toStdString(), h).ok());
        Keyframe k = testing::sampleKeyframe(kStart);
        k.processes[1].restart = "transient";
        w.write(k);
        w.write(testing::delta(1, kStart + 1'000'000'000, DeltaType::Exit, 2, 0, "", "normal"));
        QVERIFY(w.close().ok());
        auto r = run({"tree", file});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("registry") && r.out.contains("(not running; last exit: normal)"), qPrintable(r.out));
        auto j = json(run({"tree", file, "--json"}));
        QCOMPARE(j["ghosts"].toArray().size(), 1);
        QCOMPARE(j["ghosts"].toArray()[0].toObject()["path"].toString(), QString("app_sup/registry"));
    }
    void previousReleaseFilesStillOpen() {
        // A session recorded by the previous release (format 2) and one in format 1 (--uncompressed).
        const QString old = QString::fromUtf8(qgetenv("CANOPY_SOURCE_DIR")) + "/tests/views/fixtures/todo-session.canopy";
        auto info = run({"info", old, "--json"});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        QVERIFY(json(info)["processes_at_end"].toInt() > 5);
        auto tree = run({"tree", old});
        QVERIFY2(tree.code == 0 && tree.out.contains("Todo"), qPrintable(tree.out + tree.err));
        auto exported = run({"export", "-f", "ascii", old, "-o", "-"});
        QVERIFY2(exported.code == 0 && exported.out.contains("Todo"), qPrintable(exported.err));
        auto diff = run({"diff", old + "@1062.2", old});
        QVERIFY2(diff.code == 0, qPrintable(diff.err));
        // That recording's first keyframe is at 1062 s: before it nothing is known, and it says so.
        oneErrorLine(run({"tree", old, "--at", "10"}), "before the first keyframe");
    }
    void helpExitsZero() {
        auto r = run({"--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("record"));
        QVERIFY(r.out.contains("diff"));
    }
    void info() {
        auto r = run({"info", m_session});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("duration:   4.000 s"));
        QVERIFY(r.out.contains("boom again"));
        auto j = json(run({"info", m_session, "--json"}));
        QCOMPARE(j["deltas"].toInt(), 10);
        QCOMPARE(j["restarts"].toInt(), 2);
        QCOMPARE(j["abnormal_exits"].toInt(), 2);
        QCOMPARE(j["index"].toString(), QString("present"));
        QCOMPARE(j["processes_at_end"].toInt(), 5);
    }
    void treeAtTime() {
        auto r = run({"tree", m_session, "--at", "1.5"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("<0.6.0> registry"), qPrintable(r.out));
        QVERIFY(r.out.contains("one_for_one"));
        QVERIFY(r.out.contains("└── "));
        QVERIFY(!r.out.contains("<0.2.0>"));
        // Every subcommand reads times the same way: 1500ms and 1.5s are 1.5 (seconds).
        QCOMPARE(run({"tree", m_session, "--at", "1500ms"}).out, r.out);
        QCOMPARE(run({"top", m_session, "--at", "1.5s"}).out, run({"top", m_session, "--at", "1.5"}).out);
        auto j = json(run({"tree", m_session, "--at", "0", "--json"}));
        QCOMPARE(j["count"].toInt(), 5);
        QCOMPARE(j["processes"].toArray().first().toObject()["child_id"].toString(), QString("app_sup"));
        QCOMPARE(j["processes"].toArray().first().toObject()["depth"].toInt(), 0);
    }
    void top() {
        auto j = json(run({"top", m_session, "--by", "restarts", "-n", "1", "--json"}));
        QCOMPARE(j["processes"].toArray().size(), 1);
        QCOMPARE(j["processes"].toArray()[0].toObject()["child_id"].toString(), QString("registry"));
        QCOMPARE(j["processes"].toArray()[0].toObject()["restart_count"].toInt(), 2);
        auto r = run({"top", m_session});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("MAILBOX"));
    }
    void diffTwoMoments() {
        auto j = json(run({"diff", m_session + "@0.5", m_session + "@4.5", "--json"}));
        QCOMPARE(j["a_count"].toInt(), 5);
        QCOMPARE(j["b_count"].toInt(), 5);
        QCOMPARE(j["restarted"].toArray().size(), 1);
        QCOMPARE(j["restarted"].toArray()[0].toObject()["path"].toString(), QString("app_sup/registry"));
        QCOMPARE(j["added"].toArray().size(), 1);   // worker 7
        QCOMPARE(j["removed"].toArray().size(), 1); // worker 4
        auto r = run({"diff", m_session + "@0.5", m_session + "@4.5"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("1 added, 1 removed, 1 restarted"));
    }
    void truncatedFileWarnsAndStillAnswers() {
        std::ifstream in(m_session.toStdString(), std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(bytes.size() * 2 / 3);
        const QString cut = m_dir.path() + "/cut.canopy";
        std::ofstream(cut.toStdString(), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        auto r = run({"tree", cut});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("byte offset"), qPrintable(r.err));
        QVERIFY(r.out.contains("app_sup"));
    }
    void parentCycleIsStillPrinted() {
        const QString file = m_dir.path() + "/cycle.canopy";
        SessionWriter w;
        QVERIFY(w.open(file.toStdString(), SessionHeader{}).ok());
        Keyframe k;
        k.processes = {testing::rec(1, 2, "a"), testing::rec(2, 1, "b")};
        w.write(k);
        QVERIFY(w.close().ok());
        auto r = run({"tree", file});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("<0.1.0> a") && r.out.contains("<0.2.0> b"), qPrintable(r.out));
    }
    void liveTreeAndRecord() {
        testing::FakeProbe probe;
        probe.token = "tok";
        probe.startNs = kStart;
        probe.script.push_back(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) probe.script.push_back(d);
        probe.start();
        const QString target = QString::fromStdString(probe.target());
        oneErrorLine(run({"tree", target, "--token", "bad"}), "bad_token");
        auto r = run({"tree", target, "--token", "tok"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("registry"), qPrintable(r.out + r.err));
        const QString file = m_dir.path() + "/live.canopy";
        auto rec = run({"record", target, "-o", file, "--duration", "0.5", "--token", "tok", "--json"});
        QCOMPARE(rec.code, 0);
        QCOMPARE(json(rec)["deltas"].toInt(), 10);
        auto again = json(run({"tree", file, "--json"}));
        QCOMPARE(again["count"].toInt(), 5);
        // Format 1 (plain frames), the previous release's default before compression.
        const QString plain = m_dir.path() + "/live-plain.canopy";
        auto rec1 = run({"record", target, "-o", plain, "--duration", "0.5", "--token", "tok", "--uncompressed", "--json"});
        QCOMPARE(rec1.code, 0);
        auto info1 = json(run({"info", plain, "--json"}));
        QCOMPARE(info1["format_version"].toInt(), 1);
        QCOMPARE(info1["deltas"].toInt(), 10);
        QCOMPARE(json(run({"tree", plain, "--json"}))["count"].toInt(), 5);
        oneErrorLine(run({"record", m_session, "-o", file + "2"}), "live target");
    }
    void tokenFoundWithoutFlags() {
        testing::FakeProbe probe;
        probe.token = "home-token";
        probe.startNs = kStart;
        probe.script.push_back(testing::sampleKeyframe(kStart));
        probe.start();
        const QString target = QString::fromStdString(probe.target());
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("CANOPY_TOKEN");
        env.insert("HOME", home.path());
        // No token anywhere: the probe's refusal says a token is missing.
        oneErrorLine(run({"tree", target}, 30000, env), "token");
        // $HOME/.canopy_token, the file the probe writes by default, is read like Erlang's cookie.
        {
            std::ofstream f((home.path() + "/.canopy_token").toStdString());
            f << "home-token\n";
        }
        // Token files must be private to the user (token_file.h), like Erlang's cookie.
        QFile::setPermissions(home.path() + "/.canopy_token", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        auto r = run({"tree", target}, 30000, env);
        QVERIFY2(r.code == 0 && r.out.contains("registry"), qPrintable(r.out + r.err));
        // $CANOPY_TOKEN wins over the default file; --token wins over both.
        env.insert("CANOPY_TOKEN", "wrong");
        oneErrorLine(run({"tree", target}, 30000, env), "bad_token");
        r = run({"tree", target, "--token", "home-token"}, 30000, env);
        QCOMPARE(r.code, 0);
        // An empty default token file is named in the error.
        env.remove("CANOPY_TOKEN");
        {
            std::ofstream f((home.path() + "/.canopy_token").toStdString());
        }
        oneErrorLine(run({"tree", target}, 30000, env), ".canopy_token");
    }
};

QTEST_GUILESS_MAIN(TestCanopyctl)
#include "test_canopyctl.moc"
