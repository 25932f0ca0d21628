// TimelineWidget / TimelineChart / TransportBar: markers, crash navigation, scrubbing, live following,
// transport signals, keys, and where painting puts the give-up marker.
#include "panels_samples.h"
#include "views/widgets/timeline_chart.h"
#include "views/widgets/timeline_palette.h"
#include "views/widgets/timeline_widget.h"
#include "views/widgets/transport_bar.h"
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QPaintEvent>
#include <QScreen>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace canopy::views;
using samples::kSecond;

namespace {

/// Two minutes at 1 Hz with a give-up at 01:00 and a few other markers.
TimelineData knownData() {
    TimelineData d;
    for (int s = 0; s <= 120; ++s) d.appendPoint({s * kSecond, static_cast<std::uint64_t>(20 + s % 5), s % 7});
    d.appendMarker({20 * kSecond, TimelineMarkerKind::Restart, "worker restarted", 7, 3});
    d.appendMarker({30 * kSecond, TimelineMarkerKind::AbnormalExit, "worker exited: killed", 6, 0});
    d.appendMarker({45 * kSecond, TimelineMarkerKind::Resync, "resync", 0, 0});
    d.appendMarker({60 * kSecond, TimelineMarkerKind::GiveUp, "Top gave up", 0, 3});
    // The last restart attempt lands on the same pixel, a hair later (and nearer a click right of it).
    d.appendMarker({60 * kSecond + 1'000'000, TimelineMarkerKind::Restart, "last restart", 8, 3});
    d.appendMarker({90 * kSecond, TimelineMarkerKind::AbnormalExit, "other exited", 9, 0});
    d.durationNs = 120 * kSecond;
    return d;
}

bool closeTo(QRgb a, const QColor& b, int tolerance = 40) {
    return std::abs(qRed(a) - b.red()) + std::abs(qGreen(a) - b.green()) + std::abs(qBlue(a) - b.blue()) <= tolerance;
}

} // namespace

class TimelineWidgetTest : public QObject {
    Q_OBJECT
private slots:
    void paintPutsTheGiveUpAtItsTime() {
        TimelineChart chart;
        chart.resize(1200, 130);
        chart.setData(knownData());
        chart.setCursorTime(0);
        QImage image(chart.size(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        chart.render(&image);
        const QRectF plot = chart.plotRect();
        // Independent of xForTime: 60 s of 120 s is the middle of the plot.
        const int expectedX = static_cast<int>(plot.left() + plot.width() / 2);
        QVERIFY(std::abs(chart.xForTime(60 * kSecond) - (plot.left() + plot.width() / 2)) < 1.0);
        const QColor giveUp = TimelinePalette::marker(TimelineMarkerKind::GiveUp);
        const int y = static_cast<int>(plot.top() + plot.height() * 0.3);
        bool found = false;
        for (int x = expectedX - 1; x <= expectedX + 1; ++x) found = found || closeTo(image.pixel(x, y), giveUp);
        QVERIFY2(found, "no give-up line at the middle of the plot");
        // And not elsewhere in that row (the abnormal exits and the restart draw no full-height line).
        int redColumns = 0;
        for (int x = static_cast<int>(plot.left()) + 1; x < static_cast<int>(plot.right()); ++x)
            if (closeTo(image.pixel(x, y), giveUp)) ++redColumns;
        QVERIFY2(redColumns <= 3, qPrintable(QString("%1 give-up coloured columns").arg(redColumns)));
        // The process series is drawn (its blue appears in the plot).
        bool blue = false;
        for (int yy = static_cast<int>(plot.top()); yy < plot.bottom() && !blue; ++yy)
            blue = closeTo(image.pixel(static_cast<int>(plot.left() + plot.width() / 4), yy), TimelinePalette::processes(), 60);
        QVERIFY(blue);
    }

    void liveCursorRepaintsOnlyItselfOverTheStandingPicture() {
        // Live, the cursor follows every batch while the data changes a few times a second: a
        // batch that only moves the session's end repaints the cursor's old and new columns over
        // the cached picture, and the screen still shows what a chart drawn afresh shows.
        TimelineChart chart;
        chart.resize(1200, 130);
        TimelineData data = knownData();
        data.live = true;
        data.durationNs = 120 * kSecond + 400'000'000;
        chart.setData(data);
        chart.setFollowingLive(true);
        chart.setCursorTime(data.durationNs);
        chart.setFocusPolicy(Qt::NoFocus); // no focus frame: the same as the chart drawn afresh
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        auto onScreen = [&] { return chart.screen()->grabWindow(chart.winId()).toImage().convertToFormat(QImage::Format_RGB32); };
        auto fresh = [&] {
            TimelineChart other;
            other.resize(chart.size());
            other.setData(chart.data());
            other.setFollowingLive(true);
            other.setCursorTime(chart.cursorTime());
            return other.grab().toImage().convertToFormat(QImage::Format_RGB32);
        };
        QTRY_VERIFY_WITH_TIMEOUT(onScreen() == fresh(), 3000);
        struct Regions : QObject {
            QRegion painted;
            bool eventFilter(QObject*, QEvent* e) override {
                if (e->type() == QEvent::Paint) painted += static_cast<QPaintEvent*>(e)->region();
                return false;
            }
        } regions;
        chart.installEventFilter(&regions);
        TimelineData edge;
        edge.live = true;
        edge.durationNs = data.durationNs + 300'000'000; // the same whole second: the scale stands
        chart.appendData(edge);
        chart.setCursorTime(edge.durationNs);
        QCoreApplication::processEvents();
        QVERIFY2(!regions.painted.isEmpty() && regions.painted.boundingRect().width() < 60,
                 qPrintable(QStringLiteral("repainted %1 px wide").arg(regions.painted.boundingRect().width())));
        QTRY_VERIFY_WITH_TIMEOUT(onScreen() == fresh(), 3000);
        // New points and a new second redraw the picture.
        TimelineData later;
        later.live = true;
        later.appendPoint({122 * kSecond, 40, 9});
        later.appendMarker({122 * kSecond, TimelineMarkerKind::AbnormalExit, "late exit", 11, 0});
        chart.appendData(later);
        chart.setCursorTime(chart.data().durationNs);
        QTRY_VERIFY_WITH_TIMEOUT(onScreen() == fresh(), 3000);
    }

    void markerHitSeeksToTheMarker() {
        TimelineWidget w;
        w.resize(1200, 160);
        w.setData(knownData());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        TimelineChart* chart = w.chart();
        QSignalSpy seeks(&w, &TimelineWidget::seekRequested);
        QSignalSpy activated(&w, &TimelineWidget::processActivated);
        const QPoint giveUp(static_cast<int>(chart->xForTime(60 * kSecond)) + 2, static_cast<int>(chart->plotRect().top()) - 8);
        QCOMPARE(chart->markerAt(giveUp), 3); // the give-up wins over the restart on the same pixel
        QTest::mouseClick(chart, Qt::LeftButton, {}, giveUp);
        QCOMPARE(seeks.count(), 1);
        QCOMPARE(seeks.at(0).at(0).toLongLong(), 60 * kSecond);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toULongLong(), quint64(3)); // the supervisor that gave up
        // A restart marker in the band names the restarted child.
        const QPoint restart(static_cast<int>(chart->xForTime(20 * kSecond)), giveUp.y());
        QCOMPARE(chart->markerAt(restart), 0);
        QTest::mouseClick(chart, Qt::LeftButton, {}, restart);
        QCOMPARE(seeks.last().at(0).toLongLong(), 20 * kSecond);
        QCOMPARE(activated.last().at(0).toULongLong(), quint64(7));
        // Far from any marker: no hit.
        QCOMPARE(chart->markerAt(QPoint(static_cast<int>(chart->xForTime(75 * kSecond)), giveUp.y())), -1);
    }

    void tooltipsNameMarkersAndTotals() {
        TimelineChart chart;
        chart.resize(1200, 130);
        chart.setData(knownData());
        const int bandY = static_cast<int>(chart.plotRect().top()) - 8;
        const QString giveUp = chart.toolTipAt(QPoint(static_cast<int>(chart.xForTime(60 * kSecond)), bandY));
        QVERIFY2(giveUp.contains(QStringLiteral("01:00.0  give-up: Top gave up")), qPrintable(giveUp));
        QVERIFY2(giveUp.contains(QStringLiteral("restart: last restart")), qPrintable(giveUp));
        const QString resync = chart.toolTipAt(QPoint(static_cast<int>(chart.xForTime(45 * kSecond)), bandY));
        QCOMPARE(resync, QStringLiteral("00:45.0  resync: resync"));
        // In the plot away from markers: the time and the totals there (21 processes at 01:16).
        const QString totals = chart.toolTipAt(QPoint(static_cast<int>(chart.xForTime(76 * kSecond + 200'000'000)),
                                                      static_cast<int>(chart.plotRect().center().y())));
        QVERIFY2(totals.contains(QStringLiteral("21 processes, mailbox total 6")), qPrintable(totals));
    }

    void nextAndPreviousCrashSeek() {
        TimelineWidget w;
        w.setData(knownData());
        w.setCursorTime(0);
        QSignalSpy seeks(&w, &TimelineWidget::seekRequested);
        w.nextCrash(); // the restart at 20 s is not a crash
        QCOMPARE(seeks.last().at(0).toLongLong(), 30 * kSecond);
        QCOMPARE(w.cursorTime(), 30 * kSecond);
        QTest::keyClick(&w, Qt::Key_BracketRight);
        QCOMPARE(seeks.last().at(0).toLongLong(), 60 * kSecond);
        QTest::keyClick(&w, Qt::Key_BracketRight); // skips the restart right after the give-up
        QCOMPARE(seeks.last().at(0).toLongLong(), 90 * kSecond);
        const int before = seeks.count();
        w.nextCrash(); // nothing after 90 s
        QCOMPARE(seeks.count(), before);
        QVERIFY(!w.findChildren<QToolButton*>().isEmpty());
        QTest::keyClick(&w, Qt::Key_BracketLeft);
        QCOMPARE(seeks.last().at(0).toLongLong(), 60 * kSecond);
        // The worker answers with the model's time; the next jump starts from there.
        w.setCursorTime(35 * kSecond);
        w.previousCrash();
        QCOMPARE(seeks.last().at(0).toLongLong(), 30 * kSecond);
    }

    void scrubbingEmitsSeeksContinuously() {
        TimelineWidget w;
        w.resize(1200, 160);
        w.setData(knownData());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        TimelineChart* chart = w.chart();
        QSignalSpy seeks(&w, &TimelineWidget::seekRequested);
        const int y = static_cast<int>(chart->plotRect().center().y());
        const int x0 = static_cast<int>(chart->xForTime(10 * kSecond));
        QTest::mousePress(chart, Qt::LeftButton, {}, QPoint(x0, y));
        QVERIFY(chart->scrubbing());
        for (int i = 1; i <= 5; ++i) QTest::mouseMove(chart, QPoint(x0 + i * 40, y));
        // Replies to earlier seeks do not pull the cursor from under the mouse.
        w.setCursorTime(10 * kSecond);
        QCOMPARE(chart->cursorTime(), chart->timeForX(x0 + 200));
        QTest::mouseRelease(chart, Qt::LeftButton, {}, QPoint(x0 + 240, y));
        QVERIFY(!chart->scrubbing());
        QVERIFY2(seeks.count() >= 7, qPrintable(QString::number(seeks.count())));
        for (int i = 1; i < seeks.count(); ++i)
            QVERIFY(seeks.at(i).at(0).toLongLong() > seeks.at(i - 1).at(0).toLongLong());
        QCOMPARE(seeks.last().at(0).toLongLong(), chart->timeForX(x0 + 240));
        QCOMPARE(w.cursorTime(), chart->timeForX(x0 + 240));
        // Dragging past the end clamps to the session's end.
        QTest::mousePress(chart, Qt::LeftButton, {}, QPoint(x0, y));
        QTest::mouseMove(chart, QPoint(w.width() - 2, y));
        QTest::mouseRelease(chart, Qt::LeftButton, {}, QPoint(w.width() - 2, y));
        QCOMPARE(seeks.last().at(0).toLongLong(), 120 * kSecond);
    }

    void liveFollowsUntilScrubbedBack() {
        TimelineWidget w;
        w.resize(1200, 160);
        TimelineData live = knownData();
        live.live = true;
        w.setData(live);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.followingLive());
        QCOMPARE(w.cursorTime(), 120 * kSecond);
        QVERIFY(w.transportBar()->liveButton()->isVisible());
        QVERIFY(w.transportBar()->liveButton()->isChecked());
        TimelineData more;
        more.live = true;
        more.appendPoint({125 * kSecond, 30, 2});
        w.appendData(more);
        QCOMPARE(w.cursorTime(), 125 * kSecond); // follows the live edge

        QSignalSpy seeks(&w, &TimelineWidget::seekRequested);
        QSignalSpy back(&w, &TimelineWidget::backToLiveRequested);
        TimelineChart* chart = w.chart();
        const QPoint at(static_cast<int>(chart->xForTime(50 * kSecond)), static_cast<int>(chart->plotRect().center().y()));
        QTest::mouseClick(chart, Qt::LeftButton, {}, at);
        QVERIFY(!w.followingLive());
        QVERIFY(!w.transportBar()->liveButton()->isChecked());
        QCOMPARE(seeks.count(), 1);
        const std::int64_t scrubbed = w.cursorTime();
        more.points.clear();
        more.appendPoint({130 * kSecond, 31, 2});
        w.appendData(more);
        QCOMPARE(w.cursorTime(), scrubbed); // scrubbed back: the cursor stays
        QCOMPARE(w.data().durationNs, 130 * kSecond);

        QTest::mouseClick(w.transportBar()->liveButton(), Qt::LeftButton);
        QCOMPARE(back.count(), 1);
        QVERIFY(w.followingLive());
        QCOMPARE(w.cursorTime(), 130 * kSecond);
        // Stepping and pausing leave the live edge too.
        QSignalSpy steps(&w, &TimelineWidget::stepRequested);
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(steps.count(), 1);
        QCOMPARE(steps.at(0).at(0).toInt(), -1);
        QVERIFY(!w.followingLive());
        QTest::keyClick(&w, Qt::Key_End);
        QVERIFY(w.followingLive());
        QSignalSpy pauses(&w, &TimelineWidget::pauseRequested);
        QTest::keyClick(&w, Qt::Key_Space);
        QCOMPARE(pauses.count(), 1);
        QVERIFY(!w.followingLive());
        // Appending a batch without the live flag keeps the session live.
        TimelineData plain;
        plain.appendPoint({131 * kSecond, 31, 2});
        w.appendData(plain);
        QVERIFY(w.data().live);
        // The session ends: a replay of what was recorded, no Live button.
        w.setLive(false);
        QVERIFY(!w.data().live);
        QVERIFY(!w.followingLive());
        QVERIFY(!w.transportBar()->liveButton()->isVisible());
        QSignalSpy back2(&w, &TimelineWidget::backToLiveRequested);
        QTest::keyClick(&w, Qt::Key_End);
        QCOMPARE(back2.count(), 0);
    }

    void transportRequestsPlaySpeedAndSteps() {
        TimelineWidget w;
        w.setData(knownData());
        QSignalSpy plays(&w, &TimelineWidget::playRequested);
        QSignalSpy pauses(&w, &TimelineWidget::pauseRequested);
        QSignalSpy steps(&w, &TimelineWidget::stepRequested);
        QVERIFY(!w.transportBar()->liveButton()->isVisibleTo(&w)); // replay: no Live button
        QTest::keyClick(&w, Qt::Key_Space);
        QCOMPARE(plays.count(), 1);
        QCOMPARE(plays.at(0).at(0).toDouble(), 1.0);
        QVERIFY(w.isPlaying());
        // Changing the speed while playing asks again at the new speed.
        QComboBox* speed = w.transportBar()->speedBox();
        QCOMPARE(speed->count(), 7);
        QCOMPARE(speed->itemText(0), QStringLiteral("\u00d70.25"));
        QCOMPARE(speed->itemText(6), QStringLiteral("\u00d716"));
        speed->setCurrentIndex(6);
        emit speed->activated(6);
        QCOMPARE(plays.count(), 2);
        QCOMPARE(plays.at(1).at(0).toDouble(), 16.0);
        QTest::keyClick(&w, Qt::Key_Space);
        QCOMPARE(pauses.count(), 1);
        QVERIFY(!w.isPlaying());
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(steps.count(), 1);
        QCOMPARE(steps.at(0).at(0).toInt(), 1);
        // The worker reports that replay reached the end.
        w.setPlaying(true);
        w.setPlaying(false);
        QVERIFY(!w.isPlaying());
        // The time label reads cursor / length.
        w.setCursorTime(61 * kSecond + 500'000'000);
        QCOMPARE(w.transportBar()->timeLabel()->text(), QStringLiteral("01:01.5 / 02:00.0"));
    }

    void zoomKeepsTheCursorMapping() {
        TimelineChart chart;
        chart.resize(1000, 120);
        chart.setData(knownData());
        chart.setVisibleRange(50 * kSecond, 70 * kSecond);
        QCOMPARE(chart.visibleStart(), 50 * kSecond);
        QCOMPARE(chart.visibleEnd(), 70 * kSecond);
        const QRectF plot = chart.plotRect();
        QVERIFY(std::abs(chart.xForTime(60 * kSecond) - plot.center().x()) < 1.0);
        QCOMPARE(chart.timeForX(plot.left()), 50 * kSecond);
        chart.fitAll();
        QCOMPARE(chart.visibleEnd(), 120 * kSecond);
    }
};

QTEST_MAIN(TimelineWidgetTest)
#include "tst_timeline_widget.moc"
