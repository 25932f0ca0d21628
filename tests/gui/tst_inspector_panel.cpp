// InspectorPanel: the fields of a worker, a supervisor, a herd and a ghost slot; clickable pids;
// slot events; in-place updates. Sparkline and IntensityMeter painting.
#include "panels_samples.h"
#include "views/widgets/inspector_panel.h"
#include "views/widgets/intensity_meter.h"
#include "views/widgets/sparkline.h"
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

using namespace canopy::views;
using samples::kSecond;

namespace {

QString labeler(std::uint64_t pid) {
    if (pid == 10) return QStringLiteral("Todo.Supervisor <0.10.0>");
    if (pid == 12) return QStringLiteral("Streams.Supervisor <0.12.0>");
    return {};
}

/// The label showing `text` among the panel's children (nullptr when none).
QLabel* labelShowing(QWidget& root, const QString& fragment) {
    for (QLabel* l : root.findChildren<QLabel*>())
        if (l->isVisibleTo(&root) && l->text().contains(fragment)) return l;
    return nullptr;
}

} // namespace

class InspectorPanelTest : public QObject {
    Q_OBJECT
private slots:
    void emptyByDefault() {
        InspectorPanel p;
        QCOMPARE(p.mode(), InspectorPanel::Mode::Empty);
        QCOMPARE(p.title(), QStringLiteral("Nothing selected"));
        QVERIFY(p.fieldText(QStringLiteral("Pid")).isEmpty());
    }

    void workerFields() {
        InspectorPanel p;
        p.setPeerLabeler(labeler);
        p.showProcess(samples::workerRecord(), samples::workerHistory());
        QCOMPARE(p.mode(), InspectorPanel::Mode::Worker);
        QCOMPARE(p.pid(), std::uint64_t(42));
        QCOMPARE(p.title(), QStringLiteral("Todo.Cache"));
        QCOMPARE(p.subtitle(), QStringLiteral("worker \u00b7 waiting"));
        QCOMPARE(p.fieldText("Pid"), QStringLiteral("<0.42.0>"));
        QCOMPARE(p.fieldText("Name"), QStringLiteral("Todo.Cache"));
        QCOMPARE(p.fieldText("Child id"), QStringLiteral("Todo.Cache"));
        QCOMPARE(p.fieldText("Kind"), QStringLiteral("worker"));
        QCOMPARE(p.fieldText("Restart"), QStringLiteral("permanent (always restarted)"));
        QCOMPARE(p.fieldText("Shutdown"), QStringLiteral("5000 ms"));
        QCOMPARE(p.fieldText("Status"), QStringLiteral("waiting"));
        QCOMPARE(p.fieldText("Initial call"), QStringLiteral("Todo.Cache:init/1"));
        QCOMPARE(p.fieldText("Supervisor"), QStringLiteral("Todo.Supervisor <0.10.0>"));
        QCOMPARE(p.fieldText("Mailbox"), QStringLiteral("17"));
        QCOMPARE(p.fieldText("Handled"), QStringLiteral("128,400"));
        QVERIFY(p.fieldText("Memory").startsWith(QStringLiteral("21.4")));
        QCOMPARE(p.fieldText("Restarts"), QStringLiteral("2 times this session"));
        QCOMPARE(p.fieldText("Last exit"), QStringLiteral("killed"));
        QCOMPARE(p.fieldText("Links"), QStringLiteral("Todo.Supervisor <0.10.0>, <0.51.0>, <0.52.0>"));
        QCOMPARE(p.fieldText("Monitors"), QStringLiteral("<0.60.0>"));
        QVERIFY(p.fieldText("Strategy").isEmpty());  // workers have none
        QVERIFY(p.fieldText("Intensity").isEmpty());
        // The slot's history, newest first.
        const QStringList lines = p.eventLines();
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0), QStringLiteral("01:23.4  restarted  <0.41.0> -> <0.42.0>  {badarg,[{Todo.Cache,handle_call,3}]}"));
        QCOMPARE(lines.at(2), QStringLiteral("00:12.0  started  <0.40.0>"));
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        QVERIFY(labelShowing(p, QStringLiteral("Mailbox, last 1 min: now 17, max 45")));
        auto* spark = p.findChild<Sparkline*>();
        QVERIFY(spark && spark->isVisible());
        QCOMPARE(spark->samples().size(), samples::workerHistory().mailbox.size());
    }

    void clickingAPidActivatesIt() {
        InspectorPanel p;
        p.showProcess(samples::workerRecord(), samples::workerHistory());
        QSignalSpy activated(&p, &InspectorPanel::processActivated);
        QLabel* links = labelShowing(p, QStringLiteral("pid:51"));
        QVERIFY(links);
        emit links->linkActivated(QStringLiteral("pid:51"));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toULongLong(), quint64(51));
        QLabel* events = labelShowing(p, QStringLiteral("pid:41"));
        QVERIFY(events);
        emit events->linkActivated(QStringLiteral("pid:41"));
        QCOMPARE(activated.last().at(0).toULongLong(), quint64(41));
    }

    void supervisorIntensity() {
        InspectorPanel p;
        p.showProcess(samples::supervisorRecord());
        QCOMPARE(p.mode(), InspectorPanel::Mode::Supervisor);
        QCOMPARE(p.subtitle(), QStringLiteral("supervisor \u00b7 rest_for_one \u00b7 waiting"));
        QCOMPARE(p.fieldText("Strategy"), QStringLiteral("rest_for_one"));
        QCOMPARE(p.fieldText("Intensity"), QStringLiteral("2 of 3 restarts in 5 s"));
        QVERIFY(p.fieldText("Supervisor").isEmpty()); // a root
        auto* meter = p.findChild<IntensityMeter*>();
        QVERIFY(meter);
        QCOMPARE(meter->restarts(), 2);
        QCOMPARE(meter->maxRestarts(), 3);
        // At the limit the text says what happens next.
        auto r = samples::supervisorRecord();
        r.restartsInWindow = 3;
        p.showProcess(r);
        QVERIFY(p.fieldText("Intensity").startsWith(QStringLiteral("3 of 3 restarts in 5 s (at the limit")));
        QCOMPARE(p.eventLines().size(), 0);
        // A dynamic supervisor says so.
        r.kind = "dynamic_supervisor";
        r.strategy = "one_for_one";
        p.showProcess(r);
        QCOMPARE(p.fieldText("Kind"), QStringLiteral("dynamic supervisor"));
    }

    void herdSummary() {
        InspectorPanel p;
        p.setPeerLabeler([](std::uint64_t pid) { return pid == 43 ? QStringLiteral("Todo.ServerSupervisor") : QString(); });
        p.showHerd(QStringLiteral("Todo.Server"), samples::herdMembers(), samples::herdHistory());
        QCOMPARE(p.mode(), InspectorPanel::Mode::Herd);
        QCOMPARE(p.pid(), std::uint64_t(0));
        QCOMPARE(p.title(), QStringLiteral("Todo.Server \u00d712"));
        QCOMPARE(p.subtitle(), QStringLiteral("12 same-spec processes under Todo.ServerSupervisor"));
        QCOMPARE(p.fieldText("Processes"), QStringLiteral("12"));
        QCOMPARE(p.fieldText("Status mix"), QStringLiteral("9 waiting, 3 running"));
        QCOMPARE(p.fieldText("Spawns"), QStringLiteral("2.4 /s"));
        QCOMPARE(p.fieldText("Exits"), QStringLiteral("2.1 /s"));
        QCOMPARE(p.fieldText("Exit reasons"), QStringLiteral("normal \u00d7118, shutdown \u00d79, killed \u00d72"));
        QCOMPARE(p.fieldText("Mailbox"), QStringLiteral("42 in all (largest 31 in <0.207.0>)"));
        QCOMPARE(p.fieldText("Supervisor"), QStringLiteral("Todo.ServerSupervisor"));
        QVERIFY(p.fieldText("Members").startsWith(QStringLiteral("<0.200.0>, <0.201.0>")));
        QVERIFY(!p.fieldText("Members").contains(QStringLiteral("more"))); // all 12 listed
        QVERIFY(p.fieldText("Pid").isEmpty());
        auto many = samples::herdMembers();
        for (int i = 0; i < 30; ++i) many.push_back(many.front());
        p.showHerd(QStringLiteral("Todo.Server"), many, samples::herdHistory());
        QVERIFY(p.fieldText("Members").endsWith(QStringLiteral("and 30 more")));
    }

    void ghostSlot() {
        InspectorPanel p;
        p.setPeerLabeler(labeler);
        p.showProcess(samples::ghostRecord(), samples::ghostHistory());
        QCOMPARE(p.mode(), InspectorPanel::Mode::Ghost);
        QCOMPARE(p.title(), QStringLiteral("Streams.InfoFetcher"));
        QCOMPARE(p.subtitle(), QStringLiteral("Not running: a child slot of Streams.Supervisor <0.12.0>"));
        QCOMPARE(p.fieldText("Status"), QStringLiteral("not running"));
        QCOMPARE(p.fieldText("Not running since"), QStringLiteral("01:26.5 (8.5 s ago)"));
        QCOMPARE(p.fieldText("Last exit"), QStringLiteral("normal"));
        QCOMPARE(p.fieldText("Restarts"), QStringLiteral("7 times this session"));
        QCOMPARE(p.fieldText("Restart"), QStringLiteral("transient (restarted after an abnormal exit)"));
        QVERIFY(p.fieldText("Pid").isEmpty());
        QVERIFY(p.fieldText("Mailbox").isEmpty());
        // Without history the panel says it does not know.
        p.showProcess(samples::ghostRecord());
        QCOMPARE(p.fieldText("Not running since"), QStringLiteral("unknown (before the session)"));
        // Selecting a worker after the ghost brings back the live fields.
        p.showProcess(samples::workerRecord());
        QCOMPARE(p.fieldText("Pid"), QStringLiteral("<0.42.0>"));
        QVERIFY(p.fieldText("Not running since").isEmpty());
    }

    void updatesInPlace() {
        InspectorPanel p;
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        auto r = samples::workerRecord();
        p.showProcess(r);
        QLabel* mailbox = labelShowing(p, QStringLiteral("17"));
        QVERIFY(mailbox);
        r.mailboxLength = 99;
        p.showProcess(r);
        QCOMPARE(mailbox->text(), QStringLiteral("99")); // same label, new text
        p.clear();
        QCOMPARE(p.mode(), InspectorPanel::Mode::Empty);
        QVERIFY(!mailbox->isVisible());
    }

    void sparklineScalesToItsMaximum() {
        std::vector<MailboxSample> s;
        for (int i = 0; i < 1000; ++i) s.push_back({i * kSecond / 10, i == 500 ? 80 : 10});
        QImage image(200, 50, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        Sparkline::paint(painter, QRectF(0, 0, 200, 50), s, -1, -1, Qt::black);
        painter.end();
        // The one-sample spike reaches the top; the baseline sits at 10/80 of the height.
        bool top = false;
        for (int x = 95; x <= 105; ++x) top = top || qGray(image.pixel(x, 1)) < 128;
        QVERIFY2(top, "the spike was lost");
        int dark = 0;
        for (int y = 0; y < 50; ++y) dark += qGray(image.pixel(20, y)) < 100;
        QVERIFY(dark >= 1);
        QVERIFY(qGray(image.pixel(20, 10)) > 200); // above the baseline: background
    }

    void meterColoursByLevel() {
        IntensityMeter m;
        m.setIntensity(0, 3);
        const QColor calm = m.levelColor();
        m.setIntensity(3, 3);
        QVERIFY(m.levelColor() != calm);
        QCOMPARE(m.levelColor(), QColor(0xe5, 0x39, 0x35));
        QCOMPARE(m.sizeHint().width(), 4 * 11 + 1); // max + 1 cells: the last is the give-up
    }
};

QTEST_MAIN(InspectorPanelTest)
#include "tst_inspector_panel.moc"
