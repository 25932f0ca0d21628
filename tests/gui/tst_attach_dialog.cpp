// AttachDialog: parsing, validation messages, pasted host:port, a token never shown in clear,
// recent targets (most recent first, removable, no tokens stored), the token prompt.
#include "views/widgets/attach_dialog.h"
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace canopy::views;

class AttachDialogTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString iniPath(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void parsesTargets() {
        auto t = AttachDialog::parseTarget(QStringLiteral("127.0.0.1:4040"));
        QVERIFY(t);
        QCOMPARE(t->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(t->port, std::uint16_t(4040));
        t = AttachDialog::parseTarget(QStringLiteral(" [::1]:4041 "));
        QVERIFY(t);
        QCOMPARE(t->host, QStringLiteral("::1"));
        QCOMPARE(t->hostPort(), QStringLiteral("[::1]:4041"));
        t = AttachDialog::parseTarget(QStringLiteral("4042"));
        QVERIFY(t);
        QCOMPARE(t->hostPort(), QStringLiteral("127.0.0.1:4042"));
        QString error;
        QVERIFY(!AttachDialog::parseTarget(QStringLiteral("localhost:99999"), &error));
        QVERIFY2(error.contains(QStringLiteral("out of range")), qPrintable(error));
        QVERIFY(!AttachDialog::parseTarget(QStringLiteral("localhost"), &error));
        QVERIFY2(error.contains(QStringLiteral("not host:port")), qPrintable(error));
        QVERIFY(!AttachDialog::parseTarget(QStringLiteral("::1"), &error));
        QVERIFY2(error.contains(QStringLiteral("[address]:port")), qPrintable(error));
        QVERIFY(!AttachDialog::parseTarget(QStringLiteral("my host:80"), &error));
        QVERIFY2(error.contains(QStringLiteral("not a host name")), qPrintable(error));
    }

    void validatesWithClearMessages() {
        QSettings settings(iniPath("validate.ini"), QSettings::IniFormat);
        AttachDialog d(&settings);
        QPushButton* ok = d.buttons()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());
        QCOMPARE(d.validationError(), QStringLiteral("Enter the probe's host (e.g. 127.0.0.1), or paste host:port"));
        d.hostEdit()->setText(QStringLiteral("my host"));
        QCOMPARE(d.validationError(), QStringLiteral("Host 'my host' is not a host name or address"));
        QCOMPARE(d.errorLabel()->text(), d.validationError());
        d.hostEdit()->setText(QStringLiteral("build-box.local"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the probe's port (1-65535)"));
        d.portBox()->setValue(4040);
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(ok->isEnabled());
        d.tokenFileEdit()->setText(m_dir.filePath(QStringLiteral("missing-token")));
        QVERIFY(d.validationError().startsWith(QStringLiteral("Token file ")));
        QVERIFY(d.validationError().endsWith(QStringLiteral("does not exist")));
        QVERIFY(!ok->isEnabled());
        QFile token(m_dir.filePath(QStringLiteral("token")));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("s3cr3t\n");
        token.close();
        d.tokenFileEdit()->setText(token.fileName());
        QVERIFY(d.validationError().isEmpty());
        d.tokenEdit()->setText(QStringLiteral("abc"));
        QCOMPARE(d.validationError(), QStringLiteral("Give a token or a token file, not both"));
        // OK with invalid input does not close the dialog.
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Rejected));
        QVERIFY(d.recentTargets().isEmpty());
    }

    void beamNodes() {
        // beam:NAME@HOST[/APP]: an Erlang/Elixir node through canopy-beam; port and token do not apply.
        auto t = AttachDialog::parseTarget(QStringLiteral(" beam:todo@localhost/todo "));
        QVERIFY(t);
        QCOMPARE(t->beamNode, QStringLiteral("beam:todo@localhost/todo"));
        QCOMPARE(t->hostPort(), QStringLiteral("beam:todo@localhost/todo"));
        QString error;
        QVERIFY(!AttachDialog::parseTarget(QStringLiteral("beam:todo"), &error));
        QVERIFY2(error.contains(QStringLiteral("beam:name@host")), qPrintable(error));

        QSettings settings(iniPath("beam.ini"), QSettings::IniFormat);
        AttachDialog d(&settings);
        QVERIFY(!d.cookieFileEdit()->isEnabled());
        d.hostEdit()->setText(QStringLiteral("beam:bank@localhost"));
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(!d.portBox()->isEnabled());
        QVERIFY(!d.tokenEdit()->isEnabled());
        QVERIFY(d.cookieFileEdit()->isEnabled());
        d.cookieFileEdit()->setText(m_dir.filePath(QStringLiteral("no-cookie")));
        QVERIFY(d.validationError().startsWith(QStringLiteral("Cookie file ")));
        QFile cookie(m_dir.filePath(QStringLiteral("cookie")));
        QVERIFY(cookie.open(QIODevice::WriteOnly));
        cookie.write("monster\n");
        cookie.close();
        d.cookieFileEdit()->setText(cookie.fileName());
        QVERIFY(d.validationError().isEmpty());
        QCOMPARE(d.target().beamNode, QStringLiteral("beam:bank@localhost"));
        QCOMPARE(d.target().cookieFile, cookie.fileName());
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        // Remembered with its cookie file, and given back as it was entered.
        AttachDialog again(&settings);
        QCOMPARE(again.recentTargets(), QStringList{QStringLiteral("beam:bank@localhost")});
        again.recentList()->setCurrentRow(0);
        QCOMPARE(again.hostEdit()->text(), QStringLiteral("beam:bank@localhost"));
        QCOMPARE(again.cookieFileEdit()->text(), cookie.fileName());
        // Back to a probe: the probe's fields again.
        again.hostEdit()->setText(QStringLiteral("127.0.0.1:4040"));
        QVERIFY(again.portBox()->isEnabled());
        QVERIFY(!again.cookieFileEdit()->isEnabled());
        d.hostEdit()->setText(QStringLiteral("beam:todo"));
        QVERIFY2(d.validationError().contains(QStringLiteral("beam:name@host")), qPrintable(d.validationError()));
    }

    void pastedHostPortIsSplit() {
        QSettings settings(iniPath("paste.ini"), QSettings::IniFormat);
        AttachDialog d(&settings);
        d.hostEdit()->setFocus();
        // Pasted: split at once.
        QGuiApplication::clipboard()->setText(QStringLiteral("10.0.4.17:4041"));
        d.hostEdit()->paste();
        QCOMPARE(d.hostEdit()->text(), QStringLiteral("10.0.4.17"));
        QCOMPARE(d.portBox()->value(), 4041);
        // Typed by hand: usable as it is, split when editing finishes.
        d.hostEdit()->clear();
        d.portBox()->setValue(0);
        QTest::keyClicks(d.hostEdit(), QStringLiteral("[fe80::1]:4040"));
        QCOMPARE(d.hostEdit()->text(), QStringLiteral("[fe80::1]:4040"));
        QVERIFY(d.validationError().isEmpty());
        QCOMPARE(d.target().host, QStringLiteral("fe80::1"));
        QCOMPARE(d.target().port, std::uint16_t(4040));
        QTest::keyClick(d.hostEdit(), Qt::Key_Return);
        QCOMPARE(d.hostEdit()->text(), QStringLiteral("fe80::1"));
        QCOMPARE(d.portBox()->value(), 4040);
        QVERIFY(d.validationError().isEmpty());
    }

    void returnsWhatWasEntered() {
        QSettings settings(iniPath("return.ini"), QSettings::IniFormat);
        AttachDialog d(&settings);
        QCOMPARE(d.tokenEdit()->echoMode(), QLineEdit::Password); // never echoed in clear
        d.setTarget({QStringLiteral("127.0.0.1"), 4040, QStringLiteral("s3cr3t"), {}});
        const AttachTarget t = d.target();
        QCOMPARE(t.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(t.port, std::uint16_t(4040));
        QCOMPARE(t.token, QStringLiteral("s3cr3t"));
        QVERIFY(t.tokenFile.isEmpty());
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QCOMPARE(d.recentTargets(), QStringList{QStringLiteral("127.0.0.1:4040")});
        // The token is not stored anywhere in the settings.
        settings.sync();
        QFile ini(settings.fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("s3cr3t"));
    }

    void recentTargetsMostRecentFirstAndRemovable() {
        QSettings settings(iniPath("recent.ini"), QSettings::IniFormat);
        {
            AttachDialog d(&settings);
            d.rememberTarget({QStringLiteral("a.example"), 1, {}, {}});
            d.rememberTarget({QStringLiteral("b.example"), 2, {}, QStringLiteral("/tmp/tok")});
            d.rememberTarget({QStringLiteral("a.example"), 1, {}, {}}); // again: moves to the front
            QCOMPARE(d.recentTargets(), (QStringList{QStringLiteral("a.example:1"), QStringLiteral("b.example:2")}));
            for (int i = 0; i < 12; ++i) d.rememberTarget({QStringLiteral("h%1").arg(i), 4040, {}, {}});
            QCOMPARE(d.recentTargets().size(), 10);
            QCOMPARE(d.recentTargets().front(), QStringLiteral("h11:4040"));
        }
        AttachDialog d(&settings); // a new dialog reads them back
        QCOMPARE(d.recentTargets().size(), 10);
        QCOMPARE(d.recentList()->count(), 10);
        d.removeRecent(QStringLiteral("h11:4040"));
        QCOMPARE(d.recentTargets().front(), QStringLiteral("h10:4040"));
        // Picking a recent target fills the fields; Delete removes the selected one.
        d.recentList()->setCurrentRow(1);
        QCOMPARE(d.hostEdit()->text(), QStringLiteral("h9"));
        QCOMPARE(d.portBox()->value(), 4040);
        QTest::keyClick(d.recentList(), Qt::Key_Delete);
        QVERIFY(!d.recentTargets().contains(QStringLiteral("h9:4040")));
        QCOMPARE(d.recentTargets().size(), 8);
        AttachDialog again(&settings);
        QCOMPARE(again.recentTargets().size(), 8);
    }

    void tokenPrompt() {
        QSettings settings(iniPath("prompt.ini"), QSettings::IniFormat);
        AttachDialog d(&settings);
        d.setTarget({QStringLiteral("127.0.0.1"), 4040, {}, {}});
        d.setMode(AttachDialog::Mode::TokenPrompt);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(!d.hostEdit()->isVisible());
        QVERIFY(!d.recentList()->isVisible());
        QVERIFY(d.tokenEdit()->isVisible());
        QCOMPARE(d.windowTitle(), QStringLiteral("Token required"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the token, or choose the file that holds it"));
        QVERIFY(!d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        bool sawMessage = false;
        for (QLabel* l : d.findChildren<QLabel*>()) sawMessage = sawMessage || l->text().contains(QStringLiteral("127.0.0.1:4040 refused the token"));
        QVERIFY(sawMessage);
        QTest::keyClicks(d.tokenEdit(), QStringLiteral("right-token"));
        QVERIFY(d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        QTest::mouseClick(d.buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QCOMPARE(d.target().token, QStringLiteral("right-token"));
        QCOMPARE(d.target().hostPort(), QStringLiteral("127.0.0.1:4040"));
    }
};

QTEST_MAIN(AttachDialogTest)
#include "tst_attach_dialog.moc"
