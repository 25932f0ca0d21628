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
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mention");
        QTest::newRow("no subcommand") << QStringList{} << "subcommand";
        QTest::newRow("unknown subcommand") << QStringList{"frobnicate"} << "frobnicate";
        QTest::newRow("tree without target") << QStringList{"tree"} << "TARGET";
        QTest::newRow("missing file") << QStringList{"tree", "nope.canopy"} << "no such session file";
        QTest::newRow("bad port") << QStringList{"tree", "localhost:99999"} << "out of range";
        QTest::newRow("bad --by") << QStringList{"top", "x", "--by", "memory"} << "--by";
        QTest::newRow("bad -n") << QStringList{"top", "x", "-n", "0"} << "-n";
        QTest::newRow("record without -o") << QStringList{"record", "127.0.0.1:1"} << "--output";
        QTest::newRow("bad diff time") << QStringList{"diff", "a@x", "b"} << "seconds";
        QTest::newRow("info on a non-session") << QStringList{"info", CANOPYCTL_PATH} << "not a Canopy session file";
        QTest::newRow("refused") << QStringList{"tree", "127.0.0.1:1"} << "cannot connect";
        QTest::newRow("missing token file") << QStringList{"tree", "127.0.0.1:1", "--token-file", "/nonexistent/t"} << "token-file";
    }
    void argumentErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mention);
        oneErrorLine(run(args), mention);
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
