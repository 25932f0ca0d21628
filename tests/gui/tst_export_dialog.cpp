// ExportDialog: options shown only where they apply, the path's suffix follows the format,
// validation, and it returns the options and path that were entered (and remembers them).
#include "views/widgets/export_dialog.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace canopy::views;
using canopy::exporting::ExportFormat;
using canopy::exporting::ExportOptions;

class ExportDialogTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    void selectFormat(ExportDialog& d, ExportFormat f) {
        d.formatBox()->setCurrentIndex(d.formatBox()->findData(static_cast<int>(f)));
    }

private slots:
    void optionsShownWhereTheyApply() {
        QSettings settings(m_dir.filePath(QStringLiteral("shown.ini")), QSettings::IniFormat);
        ExportDialog d(&settings);
        const QStringList all{"annotate", "herds", "clusters", "page", "landscape", "layout", "plainAscii", "width", "dpi"};
        struct Case {
            ExportFormat format;
            QStringList shown;
        };
        const Case cases[] = {
            {ExportFormat::Ascii, {"annotate", "herds", "plainAscii", "width"}},
            {ExportFormat::Mermaid, {"annotate", "herds"}},
            {ExportFormat::Dot, {"annotate", "herds", "clusters"}},
            {ExportFormat::Pdf, {"annotate", "herds", "clusters", "page", "landscape", "layout"}},
            {ExportFormat::Svg, {"annotate", "herds", "clusters", "page", "landscape", "layout"}},
            {ExportFormat::Png, {"annotate", "herds", "clusters", "page", "landscape", "layout", "dpi"}},
        };
        for (const Case& c : cases) {
            selectFormat(d, c.format);
            for (const QString& option : all) {
                QCOMPARE(d.optionShown(option), c.shown.contains(option));
                QCOMPARE(ExportDialog::optionApplies(option, c.format), c.shown.contains(option));
            }
        }
    }

    void pathSuffixFollowsTheFormat() {
        QSettings settings(m_dir.filePath(QStringLiteral("suffix.ini")), QSettings::IniFormat);
        ExportDialog d(&settings);
        selectFormat(d, ExportFormat::Ascii);
        d.setPath(m_dir.filePath(QStringLiteral("tree")));
        QCOMPARE(d.path(), m_dir.filePath(QStringLiteral("tree.txt")));
        selectFormat(d, ExportFormat::Pdf);
        QCOMPARE(d.path(), m_dir.filePath(QStringLiteral("tree.pdf")));
        selectFormat(d, ExportFormat::Mermaid);
        QCOMPARE(d.path(), m_dir.filePath(QStringLiteral("tree.mmd")));
        // An unknown suffix is kept and the format's is added.
        d.setPath(m_dir.filePath(QStringLiteral("tree.v2")));
        QCOMPARE(d.path(), m_dir.filePath(QStringLiteral("tree.v2.mmd")));
        QCOMPARE(ExportDialog::suffixFor(ExportFormat::Dot), QStringLiteral(".dot"));
        QCOMPARE(ExportDialog::suffixFor(ExportFormat::Svg), QStringLiteral(".svg"));
        QCOMPARE(ExportDialog::suffixFor(ExportFormat::Png), QStringLiteral(".png"));
    }

    void validates() {
        QSettings settings(m_dir.filePath(QStringLiteral("validate.ini")), QSettings::IniFormat);
        ExportDialog d(&settings);
        QPushButton* ok = d.buttons()->button(QDialogButtonBox::Ok);
        QCOMPARE(d.validationError(), QStringLiteral("Choose where to save the diagram"));
        QVERIFY(!ok->isEnabled());
        d.setPath(QStringLiteral("/no/such/folder/tree.txt"));
        QVERIFY(d.validationError().startsWith(QStringLiteral("Folder /no/such/folder does not exist")));
        d.setPath(m_dir.filePath(QStringLiteral("tree")));
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(ok->isEnabled());
        ExportOptions o;
        o.format = ExportFormat::Pdf;
        o.page = "b5";
        d.setOptions(o);
        QVERIFY2(d.validationError().startsWith(QStringLiteral("Page 'b5' is not a page size")), qPrintable(d.validationError()));
        QCOMPARE(d.errorLabel()->text(), d.validationError());
        o.page = "24x36";
        d.setOptions(o);
        QVERIFY(d.validationError().isEmpty());
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
    }

    void returnsWhatWasEnteredAndRemembersIt() {
        QSettings settings(m_dir.filePath(QStringLiteral("return.ini")), QSettings::IniFormat);
        {
            ExportDialog d(&settings);
            QVERIFY(d.options().format == ExportFormat::Ascii); // ExportOptions' defaults at first
            QCOMPARE(d.options().width, 100);
            ExportOptions o;
            o.format = ExportFormat::Png;
            o.annotate = true;
            o.herds = false;
            o.clusters = true;
            o.page = "a3";
            o.landscape = true;
            o.layout = "boxes";
            o.dpi = 192;
            d.setOptions(o);
            d.setPath(m_dir.filePath(QStringLiteral("diagram.pdf")));
            const ExportOptions got = d.options();
            QVERIFY(got.format == ExportFormat::Png);
            QVERIFY(got.annotate);
            QVERIFY(!got.herds);
            QVERIFY(got.clusters);
            QCOMPARE(got.page, std::string("a3"));
            QVERIFY(got.landscape);
            QCOMPARE(got.layout, std::string("boxes"));
            QCOMPARE(got.dpi, 192);
            QCOMPARE(d.path(), m_dir.filePath(QStringLiteral("diagram.png")));
            d.accept();
            QCOMPARE(d.result(), int(QDialog::Accepted));
        }
        ExportDialog again(&settings);
        QVERIFY(again.options().format == ExportFormat::Png);
        QCOMPARE(again.options().dpi, 192);
        QCOMPARE(again.options().layout, std::string("boxes"));
        QVERIFY(!again.options().herds);
        QVERIFY(again.pathEdit()->text().isEmpty()); // the folder is remembered for the file picker only
    }

    void asciiOptions() {
        QSettings settings(m_dir.filePath(QStringLiteral("ascii.ini")), QSettings::IniFormat);
        ExportDialog d(&settings);
        ExportOptions o;
        o.plainAscii = true;
        o.width = 0;
        d.setOptions(o);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* width = d.findChildren<QSpinBox*>().front();
        QCOMPARE(width->text(), QStringLiteral("unlimited"));
        QVERIFY(d.options().plainAscii);
        QCOMPARE(d.options().width, 0);
        QCOMPARE(d.options().page, std::string()); // "default"
    }
};

QTEST_MAIN(ExportDialogTest)
#include "tst_export_dialog.moc"
