// DiffModel (categories, counts, overlay lookup; QAbstractItemModelTester) and DiffPanel (summary,
// filter, compare requests and their validation, activation).
#include "panels_samples.h"
#include "views/model/diff_model.h"
#include "views/widgets/diff_panel.h"
#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryFile>
#include <QTreeView>
#include <QtTest>

using namespace canopy::views;
using samples::kSecond;

class DiffPanelTest : public QObject {
    Q_OBJECT
private slots:
    void modelGroupsByCategory() {
        DiffModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setListing(samples::streamsDiff());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.count(DiffCategory::Added), 1);
        QCOMPARE(model.count(DiffCategory::Removed), 3);
        QCOMPARE(model.count(DiffCategory::Restarted), 2);
        QCOMPARE(model.count(DiffCategory::Mailbox), 2);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Added (1)"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Removed (3)"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("Restarted (2)"));
        QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("Mailbox changed (2)"));
        QVERIFY(model.index(0, 0).data(DiffModel::IsCategoryRole).toBool());
        const QModelIndex restarted = model.index(2, 0);
        QCOMPARE(model.rowCount(restarted), 2);
        const QModelIndex consumer = model.index(1, 0, restarted);
        QCOMPARE(consumer.data().toString(), QStringLiteral("Streams.Consumer"));
        QCOMPARE(consumer.data(DiffModel::PathRole).toString(), QStringLiteral("Streams.Supervisor/Streams.Consumer"));
        QVERIFY(consumer.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Streams.Supervisor/Streams.Consumer\n")));
        QCOMPARE(consumer.siblingAtColumn(DiffModel::PidColumn).data().toString(), QStringLiteral("<0.21.0> \u2192 <0.189.0>"));
        QCOMPARE(consumer.siblingAtColumn(DiffModel::RestartsColumn).data().toString(), QStringLiteral("1 \u2192 2"));
        QCOMPARE(consumer.data(DiffModel::PidRole).toULongLong(), quint64(189));
        QCOMPARE(model.parent(consumer), restarted);
        const QModelIndex mailbox = model.index(0, DiffModel::MailboxColumn, model.index(3, 0));
        QCOMPARE(mailbox.data().toString(), QStringLiteral("4 \u2192 96 (+92)"));
        // Removed processes are selected by their old pid (drawn as ghosts).
        const QModelIndex removed = model.index(1, 0, model.index(1, 0));
        QCOMPARE(removed.data(DiffModel::PidRole).toULongLong(), quint64(140));
        QCOMPARE(removed.siblingAtColumn(DiffModel::MailboxColumn).data().toString(), QStringLiteral("812"));
        QCOMPARE(model.entry(removed)->path, std::string("Streams.Supervisor/Streams.StreamSup/stream_7"));
        QVERIFY(model.entry(model.index(1, 0)) == nullptr);
    }

    void categoryOfForTheTreeOverlay() {
        DiffModel model;
        model.setListing(samples::streamsDiff());
        QCOMPARE(model.categoryOf(189), DiffCategory::Restarted); // restarted wins over its mailbox change
        QCOMPARE(model.categoryOf(25), DiffCategory::Mailbox);
        QCOMPARE(model.categoryOf(190), DiffCategory::Added);
        QCOMPARE(model.categoryOf(140), DiffCategory::Removed);
        QVERIFY(!model.categoryOf(21).has_value()); // the old pid of a restart is not on B's tree
        QVERIFY(!model.categoryOf(999).has_value());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.categoryOf(189).has_value());
    }

    void emptyCategoriesAreOmitted() {
        DiffModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DiffListing l = samples::streamsDiff();
        std::erase_if(l.entries, [](const DiffEntry& e) { return e.category != DiffCategory::Restarted; });
        model.setListing(l);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data(DiffModel::CategoryRole).toInt(), static_cast<int>(DiffCategory::Restarted));
    }

    void panelSummaryAndFilter() {
        DiffPanel panel;
        QAbstractItemModelTester tester(panel.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(panel.summaryText().startsWith(QStringLiteral("Pick moments A and B")));
        panel.model()->setListing(samples::streamsDiff());
        QCOMPARE(panel.summaryText(),
                 QStringLiteral("01:00 (52 processes) \u2192 04:15 (22 processes): 1 added, 3 removed, 2 restarted, 2 mailbox changes"));
        QSortFilterProxyModel* proxy = panel.proxy();
        QCOMPARE(proxy->rowCount(), 4);
        panel.filterEdit()->setText(QStringLiteral("consumer"));
        // Only the categories holding a match stay, with only the matches under them.
        QCOMPARE(proxy->rowCount(), 2);
        QCOMPARE(proxy->rowCount(proxy->index(0, 0)), 1);
        QCOMPARE(proxy->index(0, 0, proxy->index(0, 0)).data(DiffModel::PathRole).toString(), QStringLiteral("Streams.Supervisor/Streams.Consumer"));
        panel.filterEdit()->setText(QStringLiteral("<0.140.0>")); // by pid
        QCOMPARE(proxy->rowCount(), 1);
        panel.filterEdit()->clear();
        QCOMPARE(proxy->rowCount(), 4);
        // No differences is said in words.
        DiffListing same;
        same.labelA = "00:10";
        same.labelB = "00:20";
        same.countA = same.countB = 5;
        panel.model()->setListing(same);
        QVERIFY(panel.summaryText().endsWith(QStringLiteral("no differences")));
    }

    void activatingARowEmitsItsPid() {
        DiffPanel panel;
        panel.resize(560, 400);
        panel.model()->setListing(samples::streamsDiff());
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy activated(&panel, &DiffPanel::itemActivated);
        QTreeView* view = panel.view();
        const QModelIndex row = panel.proxy()->index(0, 0, panel.proxy()->index(2, 0)); // Restarted / Registry
        QVERIFY(row.isValid());
        const QRect rect = view->visualRect(row);
        QVERIFY(!rect.isEmpty());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QVERIFY(activated.count() >= 1);
        QCOMPARE(activated.last().at(0).toULongLong(), quint64(188));
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("Streams.Supervisor/Streams.Registry"));
        // A category row activates nothing.
        const int before = activated.count();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(panel.proxy()->index(0, 0)).center());
        QCOMPARE(activated.count(), before);
    }

    void compareValidatesAndRequests() {
        DiffPanel panel;
        panel.setSessionRange(300 * kSecond, 255 * kSecond);
        QSignalSpy requests(&panel, &DiffPanel::diffRequested);
        QCOMPARE(panel.request().bNs, 255 * kSecond); // B defaults to the cursor
        panel.compare();
        QCOMPARE(requests.count(), 1);
        auto r = requests.at(0).at(0).value<DiffRequest>();
        QCOMPARE(r.mode, DiffRequest::Mode::Moments);
        QCOMPARE(r.aNs, std::int64_t(0));
        QCOMPARE(r.bNs, 255 * kSecond);
        QVERIFY(panel.summaryText().startsWith(QStringLiteral("Computing")));
        // B follows the cursor until the user types in it.
        panel.setSessionRange(300 * kSecond, 260 * kSecond);
        QCOMPARE(panel.request().bNs, 260 * kSecond);
        auto* b = panel.findChild<QLineEdit*>(QStringLiteral("momentB"));
        QVERIFY(b);
        b->selectAll();
        QTest::keyClicks(b, QStringLiteral("02:00"));
        panel.setSessionRange(300 * kSecond, 270 * kSecond);
        QCOMPARE(panel.request().bNs, 120 * kSecond);

        panel.setRequest({DiffRequest::Mode::Moments, 60 * kSecond, 60 * kSecond, {}});
        panel.compare();
        QCOMPARE(requests.count(), 1);
        QCOMPARE(panel.summaryText(), QStringLiteral("A and B are the same moment: pick two different times"));
        panel.setRequest({DiffRequest::Mode::Moments, 60 * kSecond, 400 * kSecond, {}});
        panel.compare();
        QCOMPARE(panel.summaryText(), QStringLiteral("Moment B 06:40.0 is after the end of the session (05:00.0)"));
        QCOMPARE(requests.count(), 1);

        // Another file: it must exist; B empty means its end.
        panel.setRequest({DiffRequest::Mode::File, 60 * kSecond, -1, QStringLiteral("/no/such.canopy")});
        panel.compare();
        QCOMPARE(panel.summaryText(), QStringLiteral("No such file: /no/such.canopy"));
        QTemporaryFile other;
        QVERIFY(other.open());
        panel.setRequest({DiffRequest::Mode::File, 60 * kSecond, -1, other.fileName()});
        panel.compare();
        QCOMPARE(requests.count(), 2);
        r = requests.at(1).at(0).value<DiffRequest>();
        QCOMPARE(r.mode, DiffRequest::Mode::File);
        QCOMPARE(r.otherFile, other.fileName());
        QCOMPARE(r.bNs, std::int64_t(-1));
        // The worker's answer clears "Computing"; its error is shown as it is.
        panel.setError(QStringLiteral("cannot open x.canopy: not a session file"));
        QCOMPARE(panel.summaryText(), QStringLiteral("cannot open x.canopy: not a session file"));
    }

    void momentsParse() {
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("01:30")), 90 * kSecond);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("1:02:03")), 3723 * kSecond);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("04:12.3")), 252 * kSecond + 300'000'000);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("90s")), 90 * kSecond);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("1500ms")), 1'500'000'000);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("2m")), 120 * kSecond);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("12.5")), 12'500'000'000);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("1:75")), -1);
        QCOMPARE(DiffPanel::parseMoment(QStringLiteral("soon")), -1);
        QCOMPARE(DiffPanel::parseMoment(QString()), -1);
    }
};

QTEST_MAIN(DiffPanelTest)
#include "tst_diff_panel.moc"
