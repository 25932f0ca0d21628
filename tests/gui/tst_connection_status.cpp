// ConnectionStatusWidget: the line, colour and tooltip of every session state.
#include "views/model/change_batch.h"
#include "views/widgets/connection_status_widget.h"
#include "views/widgets/steady_label.h"
#include <QtTest>

using namespace canopy::views;
using canopy::introspection::SessionState;
using Kind = SessionState::Kind;
using Status = ConnectionStatusWidget::Status;

namespace {
Status make(Kind kind) {
    Status s;
    s.state.kind = kind;
    s.target = QStringLiteral("127.0.0.1:4040");
    return s;
}
} // namespace

class ConnectionStatusTest : public QObject {
    Q_OBJECT
private slots:
    void textOfEachState() {
        QCOMPARE(ConnectionStatusWidget::textFor(make(Kind::Connecting)), QStringLiteral("Connecting to 127.0.0.1:4040..."));

        Status live = make(Kind::Live);
        live.eventsPerSecond = 1234.4;
        live.sampleAgeNs = 400'000'000;
        QCOMPARE(ConnectionStatusWidget::textFor(live), QStringLiteral("Live 127.0.0.1:4040 \u00b7 1,234 events/s \u00b7 sample 400 ms ago"));
        live.eventsPerSecond = 2.5;
        live.sampleAgeNs = 1'500'000'000;
        QCOMPARE(ConnectionStatusWidget::textFor(live), QStringLiteral("Live 127.0.0.1:4040 \u00b7 2.5 events/s \u00b7 sample 1.5 s ago"));
        live.sampleAgeNs = 0; // no samples asked for
        QCOMPARE(ConnectionStatusWidget::textFor(live), QStringLiteral("Live 127.0.0.1:4040 \u00b7 2.5 events/s"));

        Status resync = make(Kind::Resyncing);
        resync.state.reason = "queue_overflow";
        resync.state.drops = 12;
        QCOMPARE(ConnectionStatusWidget::textFor(resync),
                 QStringLiteral("Resyncing: the probe's queue for us overflowed \u00b7 12 events dropped so far"));
        resync.state.reason = "gap";
        resync.state.drops = 0;
        QCOMPARE(ConnectionStatusWidget::textFor(resync), QStringLiteral("Resyncing: events were missed"));

        Status stale = make(Kind::Stale);
        stale.sampleAgeNs = 4'200'000'000;
        QCOMPARE(ConnectionStatusWidget::textFor(stale), QStringLiteral("Stale 127.0.0.1:4040 \u00b7 nothing received for 4.2 s"));

        Status lost = make(Kind::Lost);
        lost.state.reason = "connection reset by peer";
        lost.reconnectInMs = 2500;
        QCOMPARE(ConnectionStatusWidget::textFor(lost),
                 QStringLiteral("Lost 127.0.0.1:4040: connection reset by peer \u00b7 reconnecting in 3 s"));
        lost.reconnectInMs = -1;
        QCOMPARE(ConnectionStatusWidget::textFor(lost), QStringLiteral("Lost 127.0.0.1:4040: connection reset by peer"));

        Status token = make(Kind::Refused);
        token.state.refusal = SessionState::Refusal::BadToken;
        QCOMPARE(ConnectionStatusWidget::textFor(token), QStringLiteral("Refused by 127.0.0.1:4040: bad token"));
        QVERIFY(ConnectionStatusWidget::toolTipFor(token).contains(QStringLiteral("token")));

        Status version = make(Kind::Refused);
        version.state.refusal = SessionState::Refusal::VersionMismatch;
        version.state.serverMajor = 2;
        version.state.serverMinor = 1;
        version.state.clientMajor = 1;
        version.state.clientMinor = 0;
        version.state.message = "protocol 1.0 not supported (probe speaks 2.1)";
        QCOMPARE(ConnectionStatusWidget::textFor(version), QStringLiteral("Refused by 127.0.0.1:4040: protocol 2.1 (probe) vs 1.0 (canopy)"));
        const QString tip = ConnectionStatusWidget::toolTipFor(version);
        QVERIFY(tip.contains(QStringLiteral("protocol 1.0 not supported (probe speaks 2.1)")));
        QVERIFY(tip.contains(QStringLiteral("Retrying will not help")));

        Status notProbe = make(Kind::Refused);
        notProbe.state.refusal = SessionState::Refusal::NotAProbe;
        QCOMPARE(ConnectionStatusWidget::textFor(notProbe), QStringLiteral("Refused: 127.0.0.1:4040 is not a Canopy probe"));

        Status replay = make(Kind::Replay);
        replay.target = QStringLiteral("streams-crash.canopy");
        replay.timeNs = 252'300'000'000;
        replay.durationNs = 300'000'000'000;
        QCOMPARE(ConnectionStatusWidget::textFor(replay), QStringLiteral("Replay 04:12.3 / 05:00.0 \u00b7 streams-crash.canopy"));

        Status ended = make(Kind::Ended);
        ended.state.reason = "the probe closed the connection";
        QCOMPARE(ConnectionStatusWidget::textFor(ended), QStringLiteral("Ended 127.0.0.1:4040: the probe closed the connection"));
    }

    void coloursTellStatesApart() {
        const QColor live = ConnectionStatusWidget::colorFor(make(Kind::Live));
        const QColor lost = ConnectionStatusWidget::colorFor(make(Kind::Lost));
        const QColor resync = ConnectionStatusWidget::colorFor(make(Kind::Resyncing));
        QVERIFY(live != lost);
        QVERIFY(live != resync);
        QVERIFY(lost != resync);
        QVERIFY(live.green() > live.red()); // green for live
        QVERIFY(lost.red() > lost.green()); // red for lost
    }

    void widgetFollowsBatches() {
        ConnectionStatusWidget w;
        QCOMPARE(w.text(), QStringLiteral("Not connected"));
        w.setTarget(QStringLiteral("127.0.0.1:4040"));
        ChangeBatch batch;
        batch.state.kind = Kind::Live;
        batch.eventsPerSecond = 40;
        batch.sampleAgeNs = 200'000'000;
        w.setBatch(batch);
        QCOMPARE(w.text(), QStringLiteral("Live 127.0.0.1:4040 \u00b7 40 events/s \u00b7 sample 200 ms ago"));
        QCOMPARE(w.color(), ConnectionStatusWidget::colorFor(w.status()));
        batch.state.kind = Kind::Lost;
        batch.state.message = "127.0.0.1:4040: connection refused";
        w.setBatch(batch);
        w.setReconnectIn(4000);
        QCOMPARE(w.text(), QStringLiteral("Lost 127.0.0.1:4040 \u00b7 reconnecting in 4 s"));
        QVERIFY(w.toolTip().contains(QStringLiteral("connection refused")));
        // Back to live: the countdown is gone.
        batch.state = {};
        batch.state.kind = Kind::Live;
        w.setBatch(batch);
        QCOMPARE(w.status().reconnectInMs, -1);
    }

    void steadyLabelResizesOnlyWhenTheTextOutgrowsItOrShrinksMuch() {
        // A text that changes with every batch keeps the label's size (no window re-layout) unless
        // it no longer fits or is much narrower; it is never clipped.
        SteadyLabel label;
        QLabel natural;
        auto naturalWidth = [&](const QString& text) {
            natural.setText(text);
            return natural.sizeHint().width();
        };
        const QString wide = QStringLiteral("Live 127.0.0.1:4040 \u00b7 1,234 events/s \u00b7 sample 400 ms ago");
        QVERIFY(label.showText(wide));
        QCOMPARE(label.minimumSize(), label.maximumSize());
        QCOMPARE(label.width(), naturalWidth(wide));
        const QSize size = label.size();
        const QString slightlyShorter = QStringLiteral("Live 127.0.0.1:4040 \u00b7 1,234 events/s \u00b7 sample 1 s ago");
        QVERIFY(!label.showText(slightlyShorter));
        QCOMPARE(label.size(), size);
        QCOMPARE(label.text(), slightlyShorter);
        QVERIFY(!label.showText(slightlyShorter)); // unchanged text: nothing to do
        const QString wider = wide + QStringLiteral(" \u00b7 more");
        QVERIFY(label.showText(wider));
        QVERIFY(label.width() >= naturalWidth(wider));
        QVERIFY(label.showText(QStringLiteral("Ended")));
        QVERIFY(label.width() < size.width() / 2);
        QVERIFY(label.width() >= naturalWidth(QStringLiteral("Ended")));
        label.setFloorWidth(300);
        QVERIFY(label.showText(QStringLiteral("Ended.")));
        QCOMPARE(label.width(), 300);

        // The status line: a new sample age or rate keeps the widget's size hint.
        ConnectionStatusWidget w;
        w.setTarget(QStringLiteral("127.0.0.1:4040"));
        ChangeBatch batch;
        batch.state.kind = Kind::Live;
        batch.eventsPerSecond = 1000;
        batch.sampleAgeNs = 400'000'000;
        w.setBatch(batch);
        const QSize hint = w.sizeHint();
        batch.eventsPerSecond = 998;
        batch.sampleAgeNs = 300'000'000;
        w.setBatch(batch);
        QVERIFY(w.text().contains(QStringLiteral("998 events/s")));
        QCOMPARE(w.sizeHint(), hint);
    }
};

QTEST_MAIN(ConnectionStatusTest)
#include "tst_connection_status.moc"
