// The tree canvas widget: layout applied off the GUI thread, batches animate at a manual clock's
// time (fade in, fade out keeping the slot, restart pulse, herd counts without relayout, reset),
// hit test, search, greying, and pixels painted where the nodes and labels are. Writes tree-*.png
// screenshots of the fixtures and a 10k-node tree into the working directory.
#include "tests/gui/tree_test_support.h"
#include "views/widgets/manual_animation_clock.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_palette.h"
#include "views/widgets/tree_view.h"

#include <QImage>
#include <QPaintEvent>
#include <QScreen>
#include <QSignalSpy>
#include <QtTest>

using namespace canopy;
using namespace canopy::views;
using introspection::ProcessRecord;
using introspection::TreeSnapshot;

namespace {

constexpr int kLayoutWaitMs = 20000;
const QString kServerSup = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor");
const QString kCache = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.Cache");

/// A view of a given size with a manual clock, shown offscreen.
struct Fixture {
    TreeView view;
    std::shared_ptr<ManualAnimationClock> clock = std::make_shared<ManualAnimationClock>(10'000);
    explicit Fixture(QSize size = QSize(1280, 800)) {
        view.setAnimationClock(clock);
        view.resize(size);
        view.show();
    }
};

/// Shows `snapshot` (reset batch, then its diagram) and waits for the layout.
bool show(TreeView& view, const TreeSnapshot& snapshot, std::size_t herdThreshold = 12) {
    QSignalSpy applied(&view, &TreeView::layoutApplied);
    view.applyBatch(treetest::resetBatch(snapshot));
    view.setDiagram(treetest::diagramOf(snapshot, herdThreshold));
    return applied.wait(kLayoutWaitMs);
}

/// Sets a diagram and waits for its layout.
bool relayout(TreeView& view, const TreeSnapshot& snapshot, std::size_t herdThreshold = 12) {
    QSignalSpy applied(&view, &TreeView::layoutApplied);
    view.setDiagram(treetest::diagramOf(snapshot, herdThreshold));
    return applied.wait(kLayoutWaitMs);
}

QString keyOfPid(const TreeView& view, quint64 pid) {
    for (const QString& key : view.nodeIds())
        if (view.pidsOf(key).contains(pid)) return key;
    return {};
}

ProcessRecord server(std::uint64_t pid, std::uint64_t order, std::int64_t mailbox = 0) {
    ProcessRecord r;
    r.pid = pid;
    r.pidText = "<0." + std::to_string(pid) + ".0>";
    r.parent = 107;
    r.initialCall = "Todo.Server:init/1";
    r.startOrder = order;
    r.mailboxLength = mailbox;
    return r;
}

ChangeBatch spawnBatch(const ProcessRecord& r) {
    ChangeBatch b;
    b.changes.spawned.push_back(r.pid);
    b.records.push_back(r);
    b.timeNs = b.changes.timeNs = 43'000'000'000;
    return b;
}

ChangeBatch exitBatch(const ProcessRecord& r, const std::string& reason) {
    ChangeBatch b;
    b.changes.exited.push_back({r, reason, 43'000'000'000});
    b.timeNs = b.changes.timeNs = 43'000'000'000;
    return b;
}

/// Counts paint events of a widget.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject*, QEvent* event) override {
        if (event->type() == QEvent::Paint) ++paints;
        return false;
    }
};

QImage grab(TreeView& view) { return view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32); }

/// What the screen shows of the viewport: the window's backing store as the last paints left it
/// (grab() paints the viewport afresh instead).
QImage onScreen(TreeView& view) {
    QWidget* top = view.window();
    const QPoint at = view.viewport()->mapTo(top, QPoint(0, 0));
    return top->screen()
        ->grabWindow(top->winId(), at.x(), at.y(), view.viewport()->width(), view.viewport()->height())
        .toImage()
        .convertToFormat(QImage::Format_RGB32);
}

/// The union of the regions repainted in a widget's paint events.
class PaintRegions : public QObject {
public:
    QRegion painted;
    bool eventFilter(QObject*, QEvent* event) override {
        if (event->type() == QEvent::Paint) painted += static_cast<QPaintEvent*>(event)->region();
        return false;
    }
};

/// Pixels in `area` (viewport coordinates) darker than `level` (text strokes).
int darkPixels(const QImage& image, const QRect& area, int level = 110) {
    int n = 0;
    const QRect r = area.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if (qGray(image.pixel(x, y)) < level) ++n;
    return n;
}

QRect viewportRect(const TreeView& view, const QRectF& scene) { return view.mapFromScene(scene).boundingRect(); }

bool near(const QColor& a, const QColor& b, int tolerance = 12) {
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance && std::abs(a.blue() - b.blue()) <= tolerance;
}

} // namespace

class TestTreeView : public QObject {
    Q_OBJECT
private slots:
    void layoutIsAppliedOffTheGuiThreadAndDrawn() {
        Fixture f;
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.applyBatch(treetest::resetBatch(treetest::fixture("todo")));
        f.view.setDiagram(treetest::diagramOf(treetest::fixture("todo")));
        QVERIFY(f.view.layoutPending()); // not laid out on this thread
        QVERIFY(applied.wait(kLayoutWaitMs));
        QVERIFY(!f.view.layoutPending());
        QCOMPARE(f.view.nodeIds().size(), 15);
        QCOMPARE(f.view.layoutInfo().engine, QStringLiteral("dot"));
        QVERIFY(f.view.nodeRect(QStringLiteral("Todo.Supervisor")).bottom() < f.view.nodeRect(kServerSup).top());
        // The first view of a small tree shows all of it, text readable (no zoom beyond 100 %).
        const QRectF visible = f.view.mapToScene(f.view.viewport()->rect()).boundingRect();
        for (const QString& key : f.view.nodeIds()) QVERIFY2(visible.contains(f.view.nodeRect(key)), qPrintable(key));
        QVERIFY(f.view.transform().m11() <= 1.0 && f.view.transform().m11() >= 0.8);
    }

    void theFirstViewKeepsClearOfTheLegend() {
        // A tree fitted into a short view (its height decides the zoom) stops above the legend.
        for (const char* name : {"todo", "streams"}) {
            Fixture f(QSize(1280, 420));
            QVERIFY(show(f.view, treetest::fixture(name)));
            grab(f.view);
            const QRect legend = f.view.legendRect();
            QVERIFY(!legend.isEmpty());
            for (const QString& key : f.view.nodeIds())
                QVERIFY2(!viewportRect(f.view, f.view.nodeRect(key)).intersects(legend), qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(name), key)));
        }
    }

    void paintsBoxesAndLabelsWhereTheNodesAre() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        const QImage image = grab(f.view);
        // Inside the root supervisor's box: its fill, and dark label strokes in the title row.
        const QRect root = viewportRect(f.view, f.view.nodeRect(QStringLiteral("Todo.Supervisor")));
        QVERIFY(near(image.pixelColor(root.left() + 4, root.bottom() - 3), TreePalette::fill(TreeLayout::Kind::Supervisor)));
        QVERIFY2(darkPixels(image, root.adjusted(6, 4, -6, -root.height() / 2)) > 40, "no label text in the root box");
        // Between nodes: background, no text.
        const QRect empty(root.right() + 200, root.top(), 40, 20);
        if (image.rect().contains(empty)) QCOMPARE(darkPixels(image, empty), 0);
        // Zoomed far out: boxes without text (level of detail), never unreadable text.
        f.view.setTransform(QTransform::fromScale(0.3, 0.3));
        f.view.centerOn(f.view.nodeRect(QStringLiteral("Todo.Supervisor")).center());
        const QImage far = grab(f.view);
        const QRect small = viewportRect(f.view, f.view.nodeRect(QStringLiteral("Todo.Supervisor")));
        QCOMPARE(darkPixels(far, small.adjusted(2, 2, -2, -2), 110), 0);
        QVERIFY(near(far.pixelColor(small.center()), TreePalette::fill(TreeLayout::Kind::Supervisor)));
    }

    void spawnedChildFadesIn() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        const ProcessRecord r = server(116, 9);
        snapshot.processes.emplace(r.pid, r);
        f.view.applyBatch(spawnBatch(r));
        QVERIFY(relayout(f.view, snapshot));
        const QString key = keyOfPid(f.view, 116);
        QVERIFY(!key.isEmpty());
        const qint64 t0 = f.clock->nowMs();
        QVERIFY(f.view.visualOf(key)->opacity < 0.05);
        f.clock->setNowMs(t0 + TreeCanvas::kFadeInMs / 2);
        const qreal half = f.view.visualOf(key)->opacity;
        QVERIFY(half > 0.3 && half < 1.0);
        f.clock->setNowMs(t0 + TreeCanvas::kFadeInMs);
        QCOMPARE(f.view.visualOf(key)->opacity, 1.0);
        // Nodes that were there before did not fade.
        QCOMPARE(f.view.visualOf(kCache)->opacity, 1.0);
    }

    void exitedChildFadesOutInItsSlot() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        const QString key = keyOfPid(f.view, 112);
        const QRectF slot = f.view.nodeRect(key);
        const ProcessRecord gone = snapshot.processes.at(112);
        f.view.applyBatch(exitBatch(gone, "{badarg,[{erlang,'+',[a,1]}]}"));
        const qint64 t0 = f.clock->nowMs();
        // Coloured by the reason at once, still fully there.
        QCOMPARE(f.view.visualOf(key)->fill, TreePalette::exitFill(ExitCategory::Abnormal));
        QCOMPARE(f.view.visualOf(key)->opacity, 1.0);
        // The next diagram no longer has it: it keeps its slot until it has faded.
        snapshot.processes.erase(112);
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.setDiagram(treetest::diagramOf(snapshot));
        QTRY_VERIFY_WITH_TIMEOUT(!f.view.layoutPending(), kLayoutWaitMs);
        const QString exiting = keyOfPid(f.view, 112);
        QCOMPARE(exiting, QStringLiteral("~exit/112"));
        QCOMPARE(f.view.nodeRect(exiting), slot);
        QVERIFY(f.view.visualOf(exiting)->exiting);
        f.clock->setNowMs(t0 + TreeCanvas::kFadeOutAbnormalMs * 3 / 4);
        const qreal late = f.view.visualOf(exiting)->opacity;
        QVERIFY(late > 0.0 && late < 0.6);
        f.clock->setNowMs(t0 + TreeCanvas::kFadeOutAbnormalMs);
        QCOMPARE(f.view.visualOf(exiting)->opacity, 0.0);
        // Faded: the next tick relays out without it.
        applied.clear();
        f.view.animationTick();
        QVERIFY(applied.wait(kLayoutWaitMs));
        QVERIFY(keyOfPid(f.view, 112).isEmpty());
        QCOMPARE(f.view.nodeIds().size(), 14);
    }

    void exitKnownOnlyFromTheDiagramFadesGreyThenTakesItsReason() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        const ProcessRecord gone = snapshot.processes.at(111);
        snapshot.processes.erase(111);
        f.view.setDiagram(treetest::diagramOf(snapshot)); // the diagram before the batch
        QTRY_VERIFY_WITH_TIMEOUT(!f.view.layoutPending(), kLayoutWaitMs);
        QCOMPARE(keyOfPid(f.view, 111), QStringLiteral("~exit/111"));
        QCOMPARE(f.view.visualOf(QStringLiteral("~exit/111"))->fill, TreePalette::exitFill(ExitCategory::Unknown));
        f.view.applyBatch(exitBatch(gone, "killed"));
        QCOMPARE(f.view.visualOf(QStringLiteral("~exit/111"))->fill, TreePalette::exitFill(ExitCategory::Killed));
    }

    void relayoutTweensNodesToTheirNewPlaces() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        const QRectF before = f.view.nodeRect(kCache);
        for (std::uint64_t pid = 116; pid < 120; ++pid) snapshot.processes.emplace(pid, server(pid, pid));
        QVERIFY(relayout(f.view, snapshot));
        const QRectF after = f.view.nodeRect(kCache);
        QVERIFY(after != before); // four more servers moved the cache
        const qint64 t0 = f.clock->nowMs();
        QCOMPARE(f.view.visualOf(kCache)->rect, before);
        f.clock->setNowMs(t0 + TreeCanvas::kTweenMs / 2);
        const QRectF mid = f.view.visualOf(kCache)->rect;
        QVERIFY(mid != before && mid != after);
        f.clock->setNowMs(t0 + TreeCanvas::kTweenMs);
        QCOMPARE(f.view.visualOf(kCache)->rect, after);
    }

    void normalExitIsGrey() {
        Fixture f;
        const auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        f.view.applyBatch(exitBatch(snapshot.processes.at(114), "normal"));
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 114))->fill, TreePalette::exitFill(ExitCategory::Normal));
        f.view.applyBatch(exitBatch(snapshot.processes.at(115), "killed"));
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 115))->fill, TreePalette::exitFill(ExitCategory::Killed));
    }

    void restartPulsesTheSameNode() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        const QRectF before = f.view.nodeRect(kCache);
        ProcessRecord fresh = snapshot.processes.at(108);
        fresh.pid = 140;
        fresh.pidText = "<0.140.0>";
        fresh.restartCount = 1;
        ChangeBatch b;
        b.changes.exited.push_back({snapshot.processes.at(108), "killed", 43});
        b.changes.spawned.push_back(140);
        b.changes.restarted.push_back({102, "Todo.Cache", 108, 140, "killed", 43});
        b.records.push_back(fresh);
        f.view.applyBatch(b);
        const qint64 t0 = f.clock->nowMs();
        f.clock->setNowMs(t0 + 100);
        auto v = f.view.visualOf(kCache);
        QVERIFY(v->pulseAlpha > 0.5);
        QVERIFY(!v->exiting); // a restart is not an exit
        QCOMPARE(f.view.pidsOf(kCache), QList<quint64>{140});
        f.clock->setNowMs(t0 + TreeCanvas::kPulseMs);
        QCOMPARE(f.view.visualOf(kCache)->pulseAlpha, 0.0);
        // The diagram with the new pid: same node, same place, nothing fades.
        snapshot.processes.erase(108);
        snapshot.processes.emplace(140, fresh);
        snapshot.invalidateIndex(); // filled by hand after the index was used
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.setDiagram(treetest::diagramOf(snapshot));
        QTRY_VERIFY_WITH_TIMEOUT(!f.view.layoutPending(), kLayoutWaitMs);
        QCOMPARE(applied.count(), 0); // same shape: applied in place
        QCOMPARE(f.view.nodeRect(kCache), before);
        QCOMPARE(f.view.visualOf(kCache)->opacity, 1.0);
        QVERIFY(keyOfPid(f.view, 108).isEmpty());
        QCOMPARE(f.view.nodeIds().size(), 15);
    }

    void herdCountChangesWithoutRelayout() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot, 2));
        const QString herd = kServerSup + QStringLiteral("/Todo.Server*");
        QCOMPARE(f.view.visualOf(herd)->count, 6);
        QVERIFY(f.view.visualOf(herd)->herd);
        const QRectF before = f.view.nodeRect(herd);
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.applyBatch(spawnBatch(server(116, 9, 40)));
        f.view.applyBatch(spawnBatch(server(117, 10)));
        QCOMPARE(f.view.visualOf(herd)->count, 8);
        QVERIFY(f.view.pidsOf(herd).contains(117));
        QCOMPARE(f.view.visualOf(herd)->heatLevel, 2); // 40 messages
        f.view.applyBatch(exitBatch(snapshot.processes.at(110), "normal"));
        f.view.applyBatch(exitBatch(snapshot.processes.at(111), "{{badmatch,1},[]}"));
        QCOMPARE(f.view.visualOf(herd)->count, 6);
        QVERIFY(!f.view.pidsOf(herd).contains(110));
        QVERIFY(!f.view.layoutPending());
        QCOMPARE(applied.count(), 0);
        QCOMPARE(f.view.nodeRect(herd), before);
        // A herd of processes never fades or pulses as a whole.
        QCOMPARE(f.view.visualOf(herd)->opacity, 1.0);
        QVERIFY(!f.view.visualOf(herd)->exiting);
    }

    void resetRebuildsWithoutAnimation() {
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        f.view.applyBatch(exitBatch(snapshot.processes.at(113), "crash"));
        QVERIFY(f.view.visualOf(keyOfPid(f.view, 113))->exiting);
        // A reset (new keyframe): every effect is dropped, the new tree shows without fading.
        auto hangman = treetest::fixture("hangman");
        QVERIFY(show(f.view, hangman));
        QCOMPARE(f.view.nodeIds().size(), 12);
        for (const QString& key : f.view.nodeIds()) {
            const auto v = f.view.visualOf(key);
            QCOMPARE(v->opacity, 1.0);
            QVERIFY(!v->exiting);
        }
        QVERIFY(keyOfPid(f.view, 113).isEmpty());
    }

    void giveUpMarksTheSupervisorAndItsEscalationPath() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        ChangeBatch b;
        b.changes.gaveUp.push_back({103, "Todo.DatabaseWorker.2", "crash", 43});
        f.view.applyBatch(b);
        const QString pool = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.PoolSupervisor");
        QVERIFY(f.view.visualOf(pool)->gaveUp);
        QCOMPARE(f.view.visualOf(pool)->border, TreePalette::giveUp());
        QVERIFY(f.view.visualOf(QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor"))->escalation);
        QVERIFY(f.view.visualOf(QStringLiteral("Todo.Supervisor"))->escalation);
        QVERIFY(!f.view.visualOf(kCache)->escalation);
        f.clock->advance(TreeCanvas::kGiveUpMs);
        QVERIFY(!f.view.visualOf(pool)->gaveUp);
    }

    void aJumpLandsInOneStateWithoutRunningEffects() {
        // A seek far away (ChangeBatch::jump): the tree at the new moment is shown at once. Nothing
        // fades, pulses or moves (one repaint, the clock need not run): the batch's changes are the
        // difference between two moments, not events to replay. A give-up recent enough to be still
        // showing at the moment landed on is marked, at its age.
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        f.view.applyBatch(exitBatch(snapshot.processes.at(113), "crash")); // a fade running before the jump
        QVERIFY(f.view.visualOf(keyOfPid(f.view, 113))->exiting);
        const std::int64_t landing = 3'600'000'000'000;
        ProcessRecord fresh = snapshot.processes.at(108);
        fresh.pid = 140;
        fresh.pidText = "<0.140.0>";
        fresh.restartCount = 1;
        const ProcessRecord spawned = server(116, 9);
        ChangeBatch b;
        b.jump = b.replay = true;
        b.timeNs = b.changes.timeNs = landing;
        b.changes.exited.push_back({snapshot.processes.at(112), "", landing - 1'000'000'000});
        b.changes.exited.push_back({snapshot.processes.at(108), "killed", landing - 200'000'000});
        b.changes.spawned = {140, 116};
        b.changes.restarted.push_back({102, "Todo.Cache", 108, 140, "killed", landing - 200'000'000});
        b.changes.gaveUp.push_back({103, "Todo.DatabaseWorker.2", "crash", landing - 500'000'000});
        b.records = {fresh, spawned};
        f.view.applyBatch(b);
        const qint64 t0 = f.clock->nowMs();
        QCOMPARE(f.view.visualOf(kCache)->pulseAlpha, 0.0);             // a restart does not pulse
        QCOMPARE(f.view.pidsOf(kCache), QList<quint64>{140});           // but the node holds the new pid
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 112))->opacity, 0.0); // gone at the new moment
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 113))->opacity, 0.0); // the fade before the jump ended
        const QString pool = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.PoolSupervisor");
        QVERIFY(f.view.visualOf(pool)->gaveUp);
        // The tree at the new moment snaps into place: no lingering exits, no fade-in, no tween.
        snapshot.processes.erase(112);
        snapshot.processes.erase(113);
        snapshot.processes.erase(108);
        snapshot.processes.emplace(140, fresh);
        snapshot.processes.emplace(116, spawned);
        snapshot.invalidateIndex();
        QVERIFY(relayout(f.view, snapshot));
        QCOMPARE(f.clock->nowMs(), t0);
        for (const QString& key : f.view.nodeIds()) QVERIFY2(!key.startsWith(QStringLiteral("~exit/")), qPrintable(key));
        QVERIFY(!keyOfPid(f.view, 116).isEmpty());
        QVERIFY(!f.view.tweening());
        // Paint is a function of state and time: the same picture now and later (until the give-up's
        // mark ends, 15 s after the give-up), so nothing needs repainting.
        QHash<QString, NodeVisual> now;
        for (const QString& key : f.view.nodeIds()) now.insert(key, *f.view.visualOf(key));
        f.clock->setNowMs(t0 + TreeCanvas::kFadeOutAbnormalMs);
        for (const QString& key : f.view.nodeIds()) {
            const NodeVisual a = now.value(key), later = *f.view.visualOf(key);
            QVERIFY2(a.rect == later.rect && a.opacity == later.opacity && a.pulseAlpha == later.pulseAlpha &&
                         a.fill == later.fill && a.border == later.border && a.borderWidth == later.borderWidth,
                     qPrintable(key));
            QCOMPARE(a.opacity, 1.0);
        }
        QVERIFY(f.view.visualOf(pool)->gaveUp);
        f.clock->setNowMs(t0 + TreeCanvas::kGiveUpMs - 500);
        QVERIFY(!f.view.visualOf(pool)->gaveUp); // shown at its age: it happened 0.5 s before the moment
    }

    void aJumpDoesNotShowGiveUpsOlderThanTheirMark() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        ChangeBatch b;
        b.jump = b.replay = true;
        b.timeNs = b.changes.timeNs = 3'600'000'000'000;
        b.changes.gaveUp.push_back({103, "Todo.DatabaseWorker.2", "crash", b.timeNs - (TreeCanvas::kGiveUpMs + 1) * 1'000'000});
        f.view.applyBatch(b);
        QVERIFY(!f.view.visualOf(QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.PoolSupervisor"))->gaveUp);
        QVERIFY(!f.view.visualOf(QStringLiteral("Todo.Supervisor"))->escalation);
    }

    void mailboxLengthShowsAsHeat() {
        Fixture f;
        const auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 113))->heatLevel, 2); // 12 in the fixture
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 110))->heatLevel, 0);
        ProcessRecord hot = snapshot.processes.at(110);
        hot.mailboxLength = 2500;
        ChangeBatch b;
        b.changes.countersChanged.push_back(110);
        b.records.push_back(hot);
        f.view.applyBatch(b);
        QCOMPARE(f.view.visualOf(keyOfPid(f.view, 110))->heatLevel, 4);
        // Drawn: the glow's colour just outside the box.
        const QImage image = grab(f.view);
        const QRect box = viewportRect(f.view, f.view.nodeRect(keyOfPid(f.view, 110)));
        const QColor outside = image.pixelColor(box.left() + box.width() / 2, box.bottom() + 3);
        QVERIFY2(outside.red() > outside.blue() + 60, qPrintable(outside.name()));
        QVERIFY(!f.view.visualOf(keyOfPid(f.view, 110))->mailboxGrowing);
        // The growth alarm marks its node (and only while the batches say so).
        ChangeBatch growing;
        growing.growingMailboxes.push_back({110, 2500, 120.0});
        f.view.applyBatch(growing);
        QVERIFY(f.view.visualOf(keyOfPid(f.view, 110))->mailboxGrowing);
        QVERIFY(!f.view.visualOf(keyOfPid(f.view, 113))->mailboxGrowing);
        f.view.applyBatch(ChangeBatch{});
        QVERIFY(!f.view.visualOf(keyOfPid(f.view, 110))->mailboxGrowing);
    }

    void batchesThatChangeNothingDrawnDoNotRepaint() {
        Fixture f;
        const auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot));
        QCoreApplication::processEvents();
        PaintCounter counter;
        f.view.viewport()->installEventFilter(&counter);
        ChangeBatch totals;
        totals.changes.totalsChanged = true;
        totals.processCount = 15;
        f.view.applyBatch(totals);
        f.view.setGreyed(false); // unchanged (the app sets it with every batch)
        QCoreApplication::processEvents();
        QCOMPARE(counter.paints, 0);
        ChangeBatch counters;
        ProcessRecord hot = snapshot.processes.at(113);
        hot.mailboxLength = 99;
        counters.changes.countersChanged.push_back(113);
        counters.records.push_back(hot);
        f.view.applyBatch(counters);
        QTRY_VERIFY_WITH_TIMEOUT(counter.paints > 0, 5000);
    }

    void partialRepaintsShowWhatAFullRepaintShows() {
        // A batch or an animation tick repaints only the nodes and edges that look different; the
        // screen must then show exactly what painting everything shows, at every step (a node's
        // ink growing or shrinking: heat glow and badge, pulse ring, fade-out, a herd's count).
        Fixture f;
        auto snapshot = treetest::fixture("todo");
        QVERIFY(show(f.view, snapshot, 2));
        const QString herd = kServerSup + QStringLiteral("/Todo.Server*");
        QVERIFY(f.view.visualOf(herd)->herd);
        PaintRegions regions;
        f.view.viewport()->installEventFilter(&regions);
        int step = 0;
        auto same = [&](const char* what) {
            ++step;
            QImage shown, full;
            const bool ok = QTest::qWaitFor(
                [&] {
                    shown = onScreen(f.view);
                    full = grab(f.view);
                    return shown == full;
                },
                3000);
            if (!ok) {
                shown.save(QStringLiteral("tree-partial-%1-screen.png").arg(step));
                full.save(QStringLiteral("tree-partial-%1-full.png").arg(step));
            }
            return ok ? QString() : QStringLiteral("step %1 (%2): the screen differs from a full repaint").arg(step).arg(QLatin1String(what));
        };
        auto check = [&](const char* what) {
            const QString error = same(what);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        };
        check("first tree");
        // A herd's count: only around the herd.
        regions.painted = {};
        f.view.applyBatch(spawnBatch(server(116, 9)));
        QCoreApplication::processEvents(); // the repaint (grab() below paints everything, off screen)
        const QRect area = regions.painted.boundingRect();
        check("herd count");
        QCOMPARE(f.view.visualOf(herd)->count, 7);
        QVERIFY2(!area.isEmpty() && area.width() * area.height() < f.view.viewport()->width() * f.view.viewport()->height() / 4,
                 qPrintable(QStringLiteral("repainted %1x%2").arg(area.width()).arg(area.height())));
        QVERIFY(area.intersects(viewportRect(f.view, f.view.nodeRect(herd))));
        // The diagram with the new member: the same shape, applied in place (only what differs repaints).
        snapshot.processes.emplace(116, server(116, 9));
        snapshot.invalidateIndex();
        f.view.setDiagram(treetest::diagramOf(snapshot, 2));
        QTRY_VERIFY_WITH_TIMEOUT(!f.view.layoutPending(), kLayoutWaitMs);
        check("same-shape diagram");
        // The cache's mailbox glows (ink beyond the box), then it restarts (a pulse ring growing).
        ProcessRecord cache = snapshot.processes.at(108);
        cache.mailboxLength = 2500;
        ChangeBatch hot;
        hot.changes.countersChanged.push_back(108);
        hot.records.push_back(cache);
        f.view.applyBatch(hot);
        check("heat glow and badge");
        ProcessRecord fresh = cache;
        fresh.pid = 140;
        fresh.pidText = "<0.140.0>";
        fresh.mailboxLength = 0;
        ChangeBatch restart;
        restart.changes.exited.push_back({cache, "killed", 43});
        restart.changes.spawned.push_back(140);
        restart.changes.restarted.push_back({102, "Todo.Cache", 108, 140, "killed", 43});
        restart.records.push_back(fresh);
        f.view.applyBatch(restart);
        check("restart");
        const qint64 t0 = f.clock->nowMs();
        for (const qint64 dt : {100, 550, 1000}) {
            f.clock->setNowMs(t0 + dt);
            f.view.animationTick();
            check("pulse");
        }
        // A worker exits abnormally: its box fades out in its slot, then leaves.
        ChangeBatch crash = exitBatch(snapshot.processes.at(101), "{{badmatch,1},[]}");
        f.view.applyBatch(crash);
        check("exit");
        for (const qint64 dt : {1500, 2500, 4000}) {
            f.clock->setNowMs(t0 + dt);
            f.view.animationTick();
            check("fade-out");
        }
    }

    void hitTestSelectsTheNodeUnderTheMouse() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        QSignalSpy process(&f.view, &TreeView::processSelected);
        QSignalSpy node(&f.view, &TreeView::nodeSelected);
        const QPoint centre = viewportRect(f.view, f.view.nodeRect(kCache)).center();
        QCOMPARE(f.view.nodeAt(centre), kCache);
        QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, centre);
        QCOMPARE(process.count(), 1);
        QCOMPARE(process.takeFirst().at(0).toULongLong(), 108ull);
        QCOMPARE(node.takeFirst().at(0).toString(), kCache);
        QCOMPARE(f.view.selectedNodeId(), kCache);
        QVERIFY(f.view.visualOf(QStringLiteral("Todo.Supervisor"))->onSelectedPath);
        // Empty space clears the selection.
        QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(f.view.selectedNodeId(), QString());
        // Right click asks for a context menu with the node.
        QSignalSpy menu(&f.view, &TreeView::contextMenuRequested);
        QContextMenuEvent event(QContextMenuEvent::Mouse, centre, f.view.viewport()->mapToGlobal(centre));
        QApplication::sendEvent(f.view.viewport(), &event);
        QCOMPARE(menu.count(), 1);
        QCOMPARE(menu.first().at(1).toString(), kCache);
    }

    void findSelectsByNameOrPidWithThePathToTheRoot() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        const QStringList servers = f.view.find(QStringLiteral("todo.server"));
        QCOMPARE(servers.size(), 7); // six servers and Todo.ServerSupervisor
        QStringList byPid = f.view.find(QStringLiteral("<0.113.0>"));
        QCOMPARE(byPid, QStringList{keyOfPid(f.view, 113)});
        QCOMPARE(f.view.selectedNodeId(), byPid.front());
        QVERIFY(f.view.visualOf(byPid.front())->match);
        QVERIFY(f.view.visualOf(kServerSup)->onSelectedPath);
        QVERIFY(f.view.visualOf(QStringLiteral("Todo.Supervisor"))->onSelectedPath);
        QVERIFY(!f.view.visualOf(kCache)->onSelectedPath);
        QCOMPARE(f.view.find(QStringLiteral("108")), QStringList{kCache});
        QVERIFY(f.view.find(QStringLiteral("no such process")).isEmpty());
        f.view.find(QStringLiteral("Worker"));
        const QString first = f.view.selectedNodeId();
        f.view.selectNextMatch();
        QVERIFY(f.view.selectedNodeId() != first);
        f.view.selectPreviousMatch();
        QCOMPARE(f.view.selectedNodeId(), first);
        QVERIFY(f.view.selectPid(101));
        QCOMPARE(f.view.selectedNodeId(), QStringLiteral("Todo.Supervisor/Todo.ProcessRegistry"));
    }

    void greyedViewPaintsTheLastTreeInGrey() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        const QRect root = viewportRect(f.view, f.view.nodeRect(QStringLiteral("Todo.Supervisor")));
        const QColor live = grab(f.view).pixelColor(root.left() + 4, root.bottom() - 3);
        QVERIFY(live.blue() > live.red() + 10);
        f.view.setGreyed(true);
        QVERIFY(f.view.isGreyed());
        QVERIFY(f.view.visualOf(QStringLiteral("Todo.Supervisor"))->greyed);
        const QColor grey = grab(f.view).pixelColor(root.left() + 4, root.bottom() - 3);
        QVERIFY2(std::abs(grey.red() - grey.blue()) <= 3 && std::abs(grey.green() - grey.blue()) <= 3, qPrintable(grey.name()));
        f.view.setGreyed(false);
        QVERIFY(!f.view.visualOf(QStringLiteral("Todo.Supervisor"))->greyed);
    }

    void pinShowsOnlyTheSubtreeAndHerdsExpand() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo"), 2));
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.pinSubtree(kServerSup);
        QVERIFY(applied.wait(kLayoutWaitMs));
        QCOMPARE(f.view.nodeIds(), (QStringList{kServerSup, kServerSup + QStringLiteral("/Todo.Server*")}));
        f.view.setHerdExpanded(kServerSup + QStringLiteral("/Todo.Server*"), true);
        QVERIFY(applied.wait(kLayoutWaitMs));
        QCOMPARE(f.view.nodeIds().size(), 8);
        const QString member = keyOfPid(f.view, 111);
        QVERIFY(member.startsWith(kServerSup + QStringLiteral("/Todo.Server*/")));
        QCOMPARE(f.view.pidsOf(member), QList<quint64>{111});
        f.view.unpin();
        QVERIFY(applied.wait(kLayoutWaitMs));
        QCOMPARE(f.view.nodeIds().size(), 10 + 6);
    }

    void diffOverlayDrawsRemovedAsGhosts() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        TreeDiffOverlay diff;
        diff.caption = QStringLiteral("diff 10.0 s -> 42.0 s");
        diff.added.insert(113);
        diff.removed.push_back({150, 107, QStringLiteral("Todo.Server:init/1"), QStringLiteral("worker")});
        // A child of a supervisor that restarted in between (its pid then is gone now): drawn under
        // the node of the supervisor's slot.
        diff.removed.push_back({9151, 9999, QStringLiteral("Todo.Server:init/1"), QStringLiteral("worker"), kServerSup});
        diff.restarted.insert(108, 2);
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        f.view.setDiffOverlay(diff);
        QVERIFY(applied.wait(kLayoutWaitMs));
        QVERIFY(f.view.nodeIds().contains(QStringLiteral("~removed/150")));
        QVERIFY(f.view.visualOf(QStringLiteral("~removed/150"))->ghost);
        QVERIFY2(f.view.nodeIds().contains(QStringLiteral("~removed/9151")), qPrintable(f.view.nodeIds().join(u' ')));
        QVERIFY(f.view.nodeRect(QStringLiteral("~removed/9151")).top() > f.view.nodeRect(kServerSup).bottom());
        diff.mailboxDelta.insert(113, 9);
        f.view.setDiffOverlay(diff);
        QVERIFY(grab(f.view).save(QStringLiteral("tree-diff.png")));
        QTRY_VERIFY_WITH_TIMEOUT(!f.view.layoutPending(), kLayoutWaitMs);
        f.view.clearDiffOverlay();
        QVERIFY(applied.wait(kLayoutWaitMs));
        QVERIFY(!f.view.nodeIds().contains(QStringLiteral("~removed/150")));
    }

    void aBiggerFontGivesBiggerBoxes() {
        Fixture f;
        QVERIFY(show(f.view, treetest::fixture("todo")));
        const qreal before = f.view.nodeRect(kCache).width();
        QSignalSpy applied(&f.view, &TreeView::layoutApplied);
        QFont big = f.view.font();
        big.setPointSizeF(16);
        f.view.setFont(big);
        QVERIFY(applied.wait(kLayoutWaitMs));
        QVERIFY(f.view.nodeRect(kCache).width() > before * 1.3);
    }

    void screenshots() {
        struct Shot {
            const char* file;
            TreeSnapshot snapshot;
            std::size_t herds;
        };
        const std::vector<Shot> shots = {{"tree-todo.png", treetest::fixture("todo"), 12},
                                         {"tree-streams.png", treetest::fixture("streams"), 12},
                                         {"tree-hangman.png", treetest::fixture("hangman"), 12},
                                         {"tree-todo-herds.png", treetest::fixture("todo"), 2},
                                         {"tree-10k.png", treetest::syntheticTree(10, 99), 12}};
        for (const Shot& shot : shots) {
            Fixture f(QSize(1400, 900));
            QVERIFY(show(f.view, shot.snapshot, shot.herds));
            const QImage image = grab(f.view);
            QVERIFY(image.save(QString::fromLatin1(shot.file)));
            // Not empty: some node text is on the picture.
            QVERIFY2(darkPixels(image, image.rect()) > 500, shot.file);
        }
        // Effects caught mid-way: a crash fading out, a restart pulsing, a give-up with its
        // escalation path, a hot mailbox, a selection with its path, a herd with a mix of exits.
        {
            Fixture f(QSize(1400, 900));
            auto snapshot = treetest::fixture("todo");
            QVERIFY(show(f.view, snapshot, 2));
            ChangeBatch b;
            b.timeNs = b.changes.timeNs = 43'000'000'000;
            b.changes.exited.push_back({snapshot.processes.at(101), "{badarg,[]}", 43});
            b.changes.exited.push_back({snapshot.processes.at(110), "normal", 43});
            b.changes.exited.push_back({snapshot.processes.at(111), "{{badmatch,1},[]}", 43});
            b.changes.exited.push_back({snapshot.processes.at(112), "killed", 43});
            ProcessRecord cache = snapshot.processes.at(108);
            cache.pid = 140;
            cache.mailboxLength = 4200;
            b.changes.exited.push_back({snapshot.processes.at(108), "killed", 43});
            b.changes.restarted.push_back({102, "Todo.Cache", 108, 140, "killed", 43});
            b.changes.spawned.push_back(140);
            b.records.push_back(cache);
            b.changes.gaveUp.push_back({103, "Todo.DatabaseWorker.2", "crash", 43});
            f.view.applyBatch(b);
            f.view.selectNode(kServerSup + QStringLiteral("/Todo.Server*"));
            f.clock->advance(300);
            QVERIFY(grab(f.view).save(QStringLiteral("tree-effects.png")));
            f.view.setGreyed(true);
            QVERIFY(grab(f.view).save(QStringLiteral("tree-greyed.png")));
        }
        // An expanded herd: its members under it.
        {
            Fixture f(QSize(1400, 900));
            QVERIFY(show(f.view, treetest::fixture("todo"), 2));
            QSignalSpy applied(&f.view, &TreeView::layoutApplied);
            f.view.setHerdExpanded(kServerSup + QStringLiteral("/Todo.Server*"), true);
            QVERIFY(applied.wait(kLayoutWaitMs));
            f.clock->advance(TreeCanvas::kTweenMs + TreeCanvas::kFadeInMs);
            QVERIFY(grab(f.view).save(QStringLiteral("tree-herd-expanded.png")));
        }
        // The 10k tree fitted whole: boxes without text.
        Fixture f(QSize(1400, 900));
        QVERIFY(show(f.view, treetest::syntheticTree(10, 99)));
        f.view.fitAll();
        QVERIFY(grab(f.view).save(QStringLiteral("tree-10k-fit.png")));
        // Fitted: every node inside the viewport, nothing clipped.
        QRectF all;
        for (const QString& key : f.view.nodeIds()) all = all.united(f.view.nodeRect(key));
        const QRect shown = f.view.mapFromScene(all).boundingRect();
        QVERIFY2(f.view.viewport()->rect().contains(shown),
                 qPrintable(QStringLiteral("%1,%2 %3x%4 in %5x%6").arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height())
                                .arg(f.view.viewport()->width()).arg(f.view.viewport()->height())));
    }
};

QTEST_MAIN(TestTreeView)
#include "test_tree_view.moc"
