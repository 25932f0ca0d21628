// Renders every panel with realistic sample data at the size the app gives it and writes
// panels-*.png into the build folder (look at them), checking that no single-line label is clipped.
#include "panels_samples.h"
#include "views/model/diff_model.h"
#include "views/widgets/attach_dialog.h"
#include "views/widgets/connection_status_widget.h"
#include "views/widgets/diff_panel.h"
#include "views/widgets/export_dialog.h"
#include "views/widgets/inspector_panel.h"
#include "views/widgets/timeline_chart.h"
#include "views/widgets/timeline_widget.h"
#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtTest>

using namespace canopy::views;
using canopy::introspection::SessionState;

namespace {

QString outputDir() {
#ifdef CANOPY_PANELS_PNG_DIR
    return QStringLiteral(CANOPY_PANELS_PNG_DIR);
#else
    return QDir::tempPath();
#endif
}

/// Labels and buttons whose text does not fit (single-line ones; wrapped labels grow instead).
QStringList clippedTexts(QWidget* root) {
    QStringList out;
    for (QLabel* l : root->findChildren<QLabel*>()) {
        if (!l->isVisibleTo(root) || l->wordWrap() || l->text().isEmpty()) continue;
        if (l->sizeHint().width() > l->width() + 1) out << QStringLiteral("label '%1' (%2 > %3)").arg(l->text()).arg(l->sizeHint().width()).arg(l->width());
    }
    for (QAbstractButton* b : root->findChildren<QAbstractButton*>()) {
        if (!b->isVisibleTo(root) || b->text().isEmpty()) continue;
        if (b->sizeHint().width() > b->width() + 1) out << QStringLiteral("button '%1' (%2 > %3)").arg(b->text()).arg(b->sizeHint().width()).arg(b->width());
    }
    for (QComboBox* c : root->findChildren<QComboBox*>()) {
        if (!c->isVisibleTo(root)) continue;
        if (c->minimumSizeHint().width() > c->width() + 1) out << QStringLiteral("combo '%1'").arg(c->currentText());
    }
    return out;
}

void save(QWidget* w, const QString& name, QSize size = {}) {
    if (size.isValid()) w->resize(size);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    QCoreApplication::processEvents();
    const QImage image = w->grab().toImage();
    QVERIFY(!image.isNull());
    const QString path = outputDir() + QStringLiteral("/panels-") + name + QStringLiteral(".png");
    QVERIFY2(image.save(path), qPrintable(path));
    const QStringList clipped = clippedTexts(w);
    QVERIFY2(clipped.isEmpty(), qPrintable(name + QStringLiteral(": ") + clipped.join(QStringLiteral("; "))));
}

QString labeler(std::uint64_t pid) {
    switch (pid) {
    case 10: return QStringLiteral("Todo.Supervisor <0.10.0>");
    case 11: return QStringLiteral("Todo.ProcessRegistry <0.11.0>");
    case 12: return QStringLiteral("Streams.Supervisor <0.12.0>");
    case 43: return QStringLiteral("Todo.ServerSupervisor <0.43.0>");
    case 51: return QStringLiteral("Todo.Database <0.51.0>");
    default: return {};
    }
}

} // namespace

class PanelsGallery : public QObject {
    Q_OBJECT
private slots:
    void timeline() {
        TimelineWidget w;
        w.setData(samples::streamsTimeline());
        w.setCursorTime(samples::kGiveUpNs);
        save(&w, QStringLiteral("timeline"), {1200, 160});
        TimelineWidget live;
        TimelineData d = samples::streamsTimeline();
        d.live = true;
        live.setData(d);
        save(&live, QStringLiteral("timeline-live"), {1200, 160});
        // Scrubbed back in a live session: the Live button is offered.
        QTest::mouseClick(live.chart(), Qt::LeftButton, {}, QPoint(400, 80));
        save(&live, QStringLiteral("timeline-live-scrubbed"));
        TimelineWidget small;
        small.setData(samples::streamsTimeline());
        small.setCursorTime(60 * samples::kSecond);
        save(&small, QStringLiteral("timeline-narrow"), {900, 140});
        TimelineWidget tiny;
        tiny.setData(samples::streamsTimeline());
        save(&tiny, QStringLiteral("timeline-tiny"), {640, 130});
    }

    void inspector() {
        InspectorPanel worker;
        worker.setPeerLabeler(labeler);
        worker.showProcess(samples::workerRecord(), samples::workerHistory());
        save(&worker, QStringLiteral("inspector-worker"), {360, 600});
        InspectorPanel sup;
        sup.setPeerLabeler(labeler);
        sup.showProcess(samples::supervisorRecord());
        save(&sup, QStringLiteral("inspector-supervisor"), {360, 600});
        InspectorPanel herd;
        herd.setPeerLabeler(labeler);
        herd.showHerd(QStringLiteral("Todo.Server"), samples::herdMembers(), samples::herdHistory());
        save(&herd, QStringLiteral("inspector-herd"), {360, 600});
        InspectorPanel ghost;
        ghost.setPeerLabeler(labeler);
        ghost.showProcess(samples::ghostRecord(), samples::ghostHistory());
        save(&ghost, QStringLiteral("inspector-ghost"), {360, 600});
        InspectorPanel empty;
        save(&empty, QStringLiteral("inspector-empty"), {360, 300});
    }

    void diff() {
        DiffPanel panel;
        panel.setSessionRange(300 * samples::kSecond, 255 * samples::kSecond);
        panel.model()->setListing(samples::streamsDiff());
        save(&panel, QStringLiteral("diff"), {560, 420});
        DiffPanel filtered;
        filtered.model()->setListing(samples::streamsDiff());
        filtered.filterEdit()->setText(QStringLiteral("consumer"));
        save(&filtered, QStringLiteral("diff-filtered"), {560, 300});
        DiffPanel error;
        error.setSessionRange(300 * samples::kSecond, 255 * samples::kSecond);
        error.setRequest({DiffRequest::Mode::File, 60 * samples::kSecond, -1, QStringLiteral("/nope/other.canopy")});
        error.compare();
        save(&error, QStringLiteral("diff-error"), {560, 220});
    }

    void dialogs() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("gallery.ini")), QSettings::IniFormat);
        AttachDialog attach(&settings);
        attach.rememberTarget({QStringLiteral("10.0.4.17"), 4041, {}, QStringLiteral("/etc/canopy/token")});
        attach.rememberTarget({QStringLiteral("127.0.0.1"), 4040, {}, {}});
        attach.setTarget({QStringLiteral("127.0.0.1"), 4040, QStringLiteral("s3cr3t"), {}});
        save(&attach, QStringLiteral("attach"));
        AttachDialog bad(&settings);
        bad.hostEdit()->setText(QStringLiteral("my host"));
        save(&bad, QStringLiteral("attach-invalid"));
        AttachDialog prompt(&settings);
        prompt.setTarget({QStringLiteral("127.0.0.1"), 4040, {}, {}});
        prompt.setMode(AttachDialog::Mode::TokenPrompt);
        save(&prompt, QStringLiteral("attach-token-prompt"));

        ExportDialog pdf(&settings);
        canopy::exporting::ExportOptions o;
        o.format = canopy::exporting::ExportFormat::Pdf;
        o.annotate = true;
        o.page = "a3";
        pdf.setOptions(o);
        pdf.setSubject(QStringLiteral("The streams session at 04:12.3"));
        pdf.setPath(dir.filePath(QStringLiteral("streams.txt")));
        save(&pdf, QStringLiteral("export-pdf"));
        ExportDialog ascii(&settings);
        o.format = canopy::exporting::ExportFormat::Ascii;
        ascii.setOptions(o);
        ascii.setPath(dir.filePath(QStringLiteral("tree.txt")));
        save(&ascii, QStringLiteral("export-ascii"));
    }

    void connectionStates() {
        QWidget board;
        auto* column = new QVBoxLayout(&board);
        auto add = [&](SessionState::Kind kind, auto&& tweak) {
            ConnectionStatusWidget::Status s;
            s.state.kind = kind;
            s.target = QStringLiteral("127.0.0.1:4040");
            tweak(s);
            auto* w = new ConnectionStatusWidget(&board);
            w->setStatus(s);
            column->addWidget(w);
        };
        using K = SessionState::Kind;
        add(K::Connecting, [](auto&) {});
        add(K::Live, [](auto& s) {
            s.eventsPerSecond = 1234.4;
            s.sampleAgeNs = 400'000'000;
        });
        add(K::Resyncing, [](auto& s) {
            s.state.reason = "queue_overflow";
            s.state.drops = 12;
        });
        add(K::Stale, [](auto& s) { s.sampleAgeNs = 4'200'000'000; });
        add(K::Lost, [](auto& s) {
            s.state.reason = "connection reset by peer";
            s.reconnectInMs = 2500;
        });
        add(K::Refused, [](auto& s) { s.state.refusal = SessionState::Refusal::BadToken; });
        add(K::Refused, [](auto& s) {
            s.state.refusal = SessionState::Refusal::VersionMismatch;
            s.state.serverMajor = 2;
            s.state.clientMajor = 1;
        });
        add(K::Replay, [](auto& s) {
            s.target = QStringLiteral("streams-crash.canopy");
            s.timeNs = samples::kGiveUpNs;
            s.durationNs = 300 * samples::kSecond;
        });
        add(K::Ended, [](auto& s) { s.state.reason = "the probe closed the connection"; });
        save(&board, QStringLiteral("connection-status"), {620, board.sizeHint().height()});
    }
};

QTEST_MAIN(PanelsGallery)
#include "tst_panels_gallery.moc"
