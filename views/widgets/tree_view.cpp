#include "views/widgets/tree_view.h"

#include "views/widgets/mailbox_heat_scale.h"
#include "views/widgets/steady_animation_clock.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_canvas_item.h"
#include "views/widgets/tree_layout_worker.h"
#include "views/widgets/tree_node_metrics.h"
#include "views/widgets/tree_palette.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace canopy::views {

namespace {

constexpr qreal kMinZoom = 0.01;
constexpr qreal kMaxZoom = 4.0;
constexpr qreal kZoomStep = 1.25;
constexpr qreal kReadableZoom = 0.8; // the first view of a big tree: no smaller than this
constexpr int kTickMs = 16;
// Effects repaint at most every kMaxTickMs; a costly paint lengthens the tick so animation takes at
// most about half the GUI thread (change batches, seeks and input keep their share).
constexpr int kMaxTickMs = 50;
constexpr int kDefaultDotLimit = 1000;

QFont canvasFont(QFont f) {
    if (f.pointSizeF() < 10.0) f.setPointSizeF(10.0);
    return f;
}

} // namespace

TreeView::TreeView(QWidget* parent)
    : QGraphicsView(parent), m_clock(std::make_shared<SteadyAnimationClock>()), m_font(canvasFont(font())),
      m_metrics(std::make_unique<TreeNodeMetrics>(m_font)), m_canvas(std::make_unique<TreeCanvas>()),
      m_dotLimit(kDefaultDotLimit) {
    auto* scene = new QGraphicsScene(this);
    scene->setItemIndexMethod(QGraphicsScene::NoIndex); // one item: no BSP tree to maintain
    setScene(scene);
    m_item = new TreeCanvasItem(*m_canvas, *m_clock, *m_metrics);
    scene->addItem(m_item);
    setBackgroundBrush(TreePalette::background());
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::NoAnchor);
    setDragMode(QGraphicsView::ScrollHandDrag);
    for (QScrollBar* bar : {horizontalScrollBar(), verticalScrollBar()})
        connect(bar, &QAbstractSlider::actionTriggered, this, [this] {
            if (!m_placing && m_viewPlaced) m_userMoved = true;
        });
    setOptimizationFlags(QGraphicsView::DontAdjustForAntialiasing);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setFrameShape(QFrame::NoFrame);
    setMouseTracking(true);
    m_tick = new QTimer(this);
    m_tick->setInterval(kTickMs);
    connect(m_tick, &QTimer::timeout, this, &TreeView::animationTick);
    m_worker = std::make_unique<TreeLayoutWorker>([this](std::shared_ptr<const TreeLayout> layout) {
        QMetaObject::invokeMethod(this, [this, layout] { onLayoutReady(layout); }, Qt::QueuedConnection);
    });
}

TreeView::~TreeView() {
    m_worker.reset(); // joins the layout thread before anything it reports to goes away
    delete m_item;    // the item refers to the canvas; remove it before the canvas is destroyed
    m_item = nullptr;
}

// ---- structure ----

void TreeView::setDiagram(std::shared_ptr<const exporting::DiagramTree> tree) {
    m_tree = std::move(tree);
    requestLayout();
}

void TreeView::requestLayout(bool keepExiting) {
    TreeLayoutRequest request;
    request.generation = ++m_requested;
    request.tree = m_tree;
    request.pinnedKey = m_pinned;
    request.expandedHerds = m_expanded;
    request.memberTitles = m_canvas->memberTitles(m_expanded);
    request.removed = m_removed;
    request.keepExiting = keepExiting && !m_nextInstant;
    request.fadedPids = m_canvas->fadedPids(m_clock->nowMs());
    request.animate = !m_nextInstant;
    m_nextInstant = false;
    if (m_snapNext) {
        m_snapFrom = request.generation; // the first tree after a jump: shown at once
        m_snapNext = false;
    }
    request.engine = m_engine == LayoutEngine::Dot    ? TreeLayoutRequest::Engine::Dot
                     : m_engine == LayoutEngine::Tidy ? TreeLayoutRequest::Engine::Tidy
                                                      : TreeLayoutRequest::Engine::Auto;
    request.dotNodeLimit = m_dotLimit;
    request.fitWidth = viewport()->width() > 100 ? viewport()->width() / kReadableZoom : 0;
    request.font = m_font;
    m_worker->submit(std::move(request));
}

void TreeView::onLayoutReady(std::shared_ptr<const TreeLayout> layout) {
    const bool first = m_canvas->layout() == nullptr || m_canvas->size() == 0;
    const bool sameShape = layout->sameShape;
    const bool snap = m_snapFrom != 0 && layout->generation >= m_snapFrom;
    if (snap) m_snapFrom = 0;
    // The layout shown before is freed on the layout thread (its pid index holds every process).
    m_worker->dispose(m_canvas->applyLayout(layout, m_clock->nowMs(), snap));
    m_applied = std::max(m_applied, layout->generation);
    m_cleanupRequested = false;
    m_item->setExpandedHerds(m_expanded);
    m_item->layoutChanged();
    m_info.engine = layout->engine;
    m_info.nodes = static_cast<int>(layout->nodes.size());
    m_info.workerMs = layout->workerMs;
    m_info.error = layout->error;
    if (!m_pinned.isEmpty() && m_canvas->indexOfKey(m_pinned) < 0 && layout->tree && layout->nodes.size() > 0 &&
        layout->nodes.front().key != m_pinned)
        m_pinned.clear(); // the pinned node left the tree: the whole tree is shown
    if (!sameShape || first) {
        const QRectF bounds = layout->geometry->bounds;
        m_placing = true; // the view may scroll to keep within the new scene: not the user's doing
        scene()->setSceneRect(bounds);
        m_placing = false;
        if (!m_viewPlaced || !m_userMoved) placeInitialView();
    }
    if (m_matchIndex >= m_matches.size()) m_matchIndex = -1;
    ensureTicking();
    if (!sameShape || first || snap) viewport()->update();
    else repaintChanged(); // the same boxes in the same places: only what looks different
    if (!sameShape || first) emit layoutApplied();
}

void TreeView::applyBatch(const ChangeBatch& batch) {
    const auto effect = m_canvas->applyBatch(batch, m_clock->nowMs());
    if (effect.reset) {
        m_nextInstant = true; // a reset: the next tree is shown without animation
        m_viewPlaced = false;
        m_userMoved = false;
    }
    // A jump's next tree snaps into place; when its structure changed, that tree follows at once
    // and repaints (painting the old tree in between would double the cost of a seek).
    const bool treeFollows = batch.jump && batch.changes.structureChanged() && m_canvas->layout();
    if (batch.jump) m_snapNext = batch.changes.structureChanged();
    ensureTicking();
    // Batches with only totals repaint nothing; a live batch only what looks different; a jump (a
    // seek) lands in one full repaint, as a new state.
    if (effect.changed && !treeFollows) {
        if (batch.jump || effect.reset) viewport()->update();
        else repaintChanged();
    }
}

void TreeView::repaintChanged() {
    // Only the nodes and edges that look different (a herd's count, a fading box) are repainted: at
    // 100k processes a batch changes a few herds of the hundreds in view.
    const auto region = m_item->changedRegion(viewportTransform(), viewport()->rect());
    if (!region) viewport()->update();
    else if (!region->isEmpty()) viewport()->update(*region);
}

// ---- state shown ----

void TreeView::setGreyed(bool greyed) {
    if (greyed == m_canvas->greyed()) return; // the app sets it with every batch
    m_canvas->setGreyed(greyed);
    viewport()->update();
}

bool TreeView::isGreyed() const { return m_canvas->greyed(); }

void TreeView::setDiffOverlay(const TreeDiffOverlay& overlay) {
    const bool relayout = !overlay.removed.isEmpty() || !m_removed.isEmpty();
    m_removed = overlay.removed;
    m_diffCaption = overlay.caption;
    m_canvas->setDiffOverlay(overlay);
    if (relayout) requestLayout(false);
    viewport()->update();
}

void TreeView::clearDiffOverlay() {
    const bool relayout = !m_removed.isEmpty();
    m_removed.clear();
    m_diffCaption.clear();
    m_canvas->setDiffOverlay(std::nullopt);
    if (relayout) requestLayout(false);
    viewport()->update();
}

// ---- search and selection ----

QStringList TreeView::find(const QString& text) {
    m_matches.clear();
    m_matchIndex = -1;
    const QString needle = text.trimmed();
    std::vector<int> indices;
    if (!needle.isEmpty() && m_canvas->layout()) {
        std::vector<char> hit(static_cast<std::size_t>(m_canvas->size()), 0);
        // A pid: `<0.42.0>`, `0.42.0` or `42`.
        static const QRegularExpression pidText(QStringLiteral("^<?(\\d+)\\.(\\d+)\\.(\\d+)>?$"));
        static const QRegularExpression number(QStringLiteral("^\\d+$"));
        std::vector<quint64> pids;
        if (const auto m = pidText.match(needle); m.hasMatch()) {
            pids.push_back(m.captured(2).toULongLong());
        } else if (number.match(needle).hasMatch()) {
            pids.push_back(needle.toULongLong());
        }
        for (quint64 pid : pids)
            if (const int i = m_canvas->indexOfPid(pid); i >= 0) hit[static_cast<std::size_t>(i)] = 1;
        const std::string bracketed = (needle.startsWith(u'<') ? needle : u'<' + needle + u'>').toStdString();
        const auto& nodes = m_canvas->layout()->nodes;
        for (int i = 0; i < m_canvas->size(); ++i) {
            if (nodes[static_cast<std::size_t>(i)].title.contains(needle, Qt::CaseInsensitive)) hit[static_cast<std::size_t>(i)] = 1;
            if (const quint64 pid = m_canvas->pidOf(i); pid != 0 && !hit[static_cast<std::size_t>(i)])
                if (const auto* info = m_canvas->processInfo(pid); info && info->pidText == bracketed) hit[static_cast<std::size_t>(i)] = 1;
        }
        for (int i = 0; i < m_canvas->size(); ++i)
            if (hit[static_cast<std::size_t>(i)]) {
                indices.push_back(i);
                m_matches.push_back(nodes[static_cast<std::size_t>(i)].key);
            }
    }
    m_canvas->setMatches(indices);
    if (!indices.empty()) {
        m_matchIndex = 0;
        selectIndex(indices.front(), true);
        centreOnNode(indices.front());
    }
    viewport()->update();
    return m_matches;
}

void TreeView::selectNextMatch() {
    if (m_matches.isEmpty()) return;
    m_matchIndex = (m_matchIndex + 1) % m_matches.size();
    const int i = m_canvas->indexOfKey(m_matches[m_matchIndex]);
    if (i < 0) return;
    selectIndex(i, true);
    centreOnNode(i);
}

void TreeView::selectPreviousMatch() {
    if (m_matches.isEmpty()) return;
    m_matchIndex = (m_matchIndex - 1 + m_matches.size()) % m_matches.size();
    const int i = m_canvas->indexOfKey(m_matches[m_matchIndex]);
    if (i < 0) return;
    selectIndex(i, true);
    centreOnNode(i);
}

bool TreeView::selectPid(quint64 pid) {
    const int i = m_canvas->indexOfPid(pid);
    if (i < 0) return false;
    selectIndex(i, false);
    centreOnNode(i);
    return true;
}

bool TreeView::selectNode(const QString& nodeId) {
    const int i = m_canvas->indexOfKey(nodeId);
    if (i < 0) return false;
    selectIndex(i, false);
    centreOnNode(i);
    return true;
}

void TreeView::clearSelection() { selectIndex(-1, false); }

QString TreeView::selectedNodeId() const {
    const int i = m_canvas->selected();
    return i >= 0 ? m_canvas->layout()->nodes[static_cast<std::size_t>(i)].key : QString();
}

void TreeView::selectIndex(int index, bool emitSignals) {
    m_canvas->setSelected(index);
    viewport()->update();
    if (!emitSignals) return;
    emit processSelected(index >= 0 ? m_canvas->pidOf(index) : 0);
    emit nodeSelected(index >= 0 ? m_canvas->layout()->nodes[static_cast<std::size_t>(index)].key : QString());
}

void TreeView::centreOnNode(int index) {
    if (index < 0 || index >= m_canvas->size()) return;
    const QRectF r = m_canvas->layout()->geometry->rects[static_cast<std::size_t>(index)];
    if (transform().m11() < TreeCanvasItem::kMinTextScale) {
        // Zoomed out past legibility: come close enough to read the node.
        const qreal f = 1.0 / transform().m11();
        m_placing = true;
        scale(f, f);
        m_placing = false;
    }
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    // The view's own doing, not the user's: the next layout may still place the whole tree (and
    // keeps the selection in view when the tree is too big to show whole).
    m_placing = true;
    if (!visible.contains(r)) centerOn(r.center());
    m_placing = false;
}

// ---- pin and herds ----

void TreeView::pinSubtree(const QString& nodeId) {
    const int i = m_canvas->indexOfKey(nodeId);
    if (i < 0 || m_canvas->layout()->nodes[static_cast<std::size_t>(i)].origin != TreeLayout::Origin::Diagram) return;
    m_pinned = nodeId;
    m_userMoved = false;
    requestLayout(false);
}

void TreeView::unpin() {
    if (m_pinned.isEmpty()) return;
    m_pinned.clear();
    m_userMoved = false;
    requestLayout(false);
}

QString TreeView::pinnedNodeId() const { return m_pinned; }

void TreeView::setHerdExpanded(const QString& herdId, bool expanded) {
    if (expanded == m_expanded.contains(herdId)) return;
    if (expanded) m_expanded.insert(herdId);
    else m_expanded.remove(herdId);
    requestLayout(false);
}

QSet<QString> TreeView::expandedHerds() const { return m_expanded; }

void TreeView::toggleHerd(int index) {
    const auto& node = m_canvas->layout()->nodes[static_cast<std::size_t>(index)];
    if (node.herd) setHerdExpanded(node.key, !m_expanded.contains(node.key));
}

// ---- settings ----

void TreeView::setAnimationClock(std::shared_ptr<AnimationClock> clock) {
    if (!clock) return;
    m_clock = std::move(clock);
    rebuildItem();
    m_tick->stop();
    ensureTicking();
}

void TreeView::rebuildItem() {
    // The item paints with the clock and metrics it was made with: a new one (the state stays).
    scene()->removeItem(m_item);
    delete m_item;
    m_item = new TreeCanvasItem(*m_canvas, *m_clock, *m_metrics);
    m_item->setExpandedHerds(m_expanded);
    scene()->addItem(m_item);
    m_item->layoutChanged();
}

void TreeView::changeEvent(QEvent* event) {
    QGraphicsView::changeEvent(event);
    if (event->type() != QEvent::FontChange) return;
    const QFont f = canvasFont(font());
    if (f == m_font) return;
    m_font = f;
    auto metrics = std::make_unique<TreeNodeMetrics>(m_font);
    std::swap(metrics, m_metrics);
    rebuildItem(); // before the old metrics go
    metrics.reset();
    if (m_tree) requestLayout(false); // boxes are sized from the font
}

AnimationClock& TreeView::animationClock() const { return *m_clock; }

void TreeView::setLayoutEngine(LayoutEngine engine) {
    if (engine == m_engine) return;
    m_engine = engine;
    if (m_tree) requestLayout();
}

void TreeView::setDotNodeLimit(int nodes) { m_dotLimit = std::max(0, nodes); }
int TreeView::dotNodeLimit() const { return m_dotLimit; }
TreeView::LayoutInfo TreeView::layoutInfo() const { return m_info; }
bool TreeView::layoutPending() const { return m_applied < m_requested; }

bool TreeView::tweening() const { return m_canvas->tweening(m_clock->nowMs()); }

void TreeView::setLegendVisible(bool visible) {
    m_legend = visible;
    viewport()->update();
}

void TreeView::setPlaceholderText(const QString& text) {
    m_placeholder = text;
    viewport()->update();
}

// ---- queries ----

QStringList TreeView::nodeIds() const {
    QStringList out;
    if (const TreeLayout* layout = m_canvas->layout())
        for (const auto& n : layout->nodes) out.push_back(n.key);
    return out;
}

QString TreeView::nodeAt(const QPoint& viewportPos) const {
    const int i = m_canvas->nodeAt(mapToScene(viewportPos), m_clock->nowMs());
    return i >= 0 ? m_canvas->layout()->nodes[static_cast<std::size_t>(i)].key : QString();
}

std::optional<NodeVisual> TreeView::visualOf(const QString& nodeId) const {
    const int i = m_canvas->indexOfKey(nodeId);
    if (i < 0) return std::nullopt;
    return m_canvas->visual(i, m_clock->nowMs());
}

QRectF TreeView::nodeRect(const QString& nodeId) const {
    const int i = m_canvas->indexOfKey(nodeId);
    return i < 0 ? QRectF() : m_canvas->layout()->geometry->rects[static_cast<std::size_t>(i)];
}

QList<quint64> TreeView::pidsOf(const QString& nodeId) const { return m_canvas->pidsOf(m_canvas->indexOfKey(nodeId)); }

// ---- zoom and view placement ----

void TreeView::zoomBy(qreal factor, const QPointF& anchor) {
    const qreal current = transform().m11();
    const qreal target = std::clamp(current * factor, kMinZoom, kMaxZoom);
    if (std::abs(target - current) < 1e-9) return;
    const QPointF before = mapToScene(anchor.toPoint());
    const qreal f = target / current;
    scale(f, f);
    const QPointF after = mapToScene(anchor.toPoint());
    const QPointF centre = mapToScene(viewport()->rect().center()) + (before - after);
    centerOn(centre);
    m_userMoved = true;
}

void TreeView::zoomIn() { zoomBy(kZoomStep, viewport()->rect().center()); }
void TreeView::zoomOut() { zoomBy(1.0 / kZoomStep, viewport()->rect().center()); }

void TreeView::resetZoom() {
    const QPointF centre = mapToScene(viewport()->rect().center());
    m_placing = true;
    setTransform(QTransform());
    centerOn(centre);
    m_placing = false;
    m_userMoved = true;
}

void TreeView::fitAll() {
    const TreeLayout* layout = m_canvas->layout();
    if (!layout || layout->nodes.empty()) return;
    const QRectF bounds = layout->geometry->bounds;
    // Leave the legend's band free.
    const QSizeF view = viewport()->size() - QSizeF(0, legendReserve());
    const qreal fit = std::min(view.width() / bounds.width(), view.height() / bounds.height());
    const qreal s = std::clamp(fit, kMinZoom, 1.0);
    m_placing = true;
    setTransform(QTransform::fromScale(s, s));
    centerOn(bounds.center() + QPointF(0, (viewport()->height() - view.height()) / s / 2));
    m_placing = false;
    m_userMoved = true;
}

void TreeView::placeInitialView() {
    const TreeLayout* layout = m_canvas->layout();
    if (!layout || layout->nodes.empty()) return;
    const QRectF bounds = layout->geometry->bounds;
    const QSizeF view = viewport()->size();
    // Fitted, the tree keeps clear of the legend's band at the bottom.
    const qreal reserve = legendReserve();
    const qreal fit = std::min(view.width() / bounds.width(), (view.height() - reserve) / bounds.height());
    m_placing = true;
    if (fit >= kReadableZoom) {
        const qreal s = std::min(fit, 1.0);
        setTransform(QTransform::fromScale(s, s));
        centerOn(bounds.center() + QPointF(0, reserve / s / 2));
    } else {
        // Too big to read whole: legible, the top of the tree around the first root.
        const qreal s = kReadableZoom;
        setTransform(QTransform::fromScale(s, s));
        const QRectF root = layout->geometry->rects.front();
        const qreal halfHeight = view.height() / s / 2, halfWidth = view.width() / s / 2;
        centerOn(QPointF(std::max(root.center().x(), bounds.left() + halfWidth), bounds.top() + halfHeight));
        // A selected node stays in view.
        const int selected = m_canvas->selected();
        if (selected >= 0 && selected < m_canvas->size()) {
            const QRectF r = layout->geometry->rects[static_cast<std::size_t>(selected)];
            if (!mapToScene(viewport()->rect()).boundingRect().contains(r)) centerOn(r.center());
        }
    }
    m_placing = false;
    m_viewPlaced = true;
}

// ---- animation ----

void TreeView::ensureTicking() {
    if (!m_clock->advancesByItself()) return;
    const qint64 now = m_clock->nowMs();
    if (now < m_canvas->effectsUntil() || (m_canvas->exitedNodesFaded(now) && !layoutPending())) {
        if (!m_tick->isActive()) {
            m_lastTickMs = TreeCanvas::kNever;
            m_tick->start();
        }
    }
}

void TreeView::animationTick() {
    const qint64 now = m_clock->nowMs();
    // A repaint on every tick while effects move and one for their end; one when a still mark (a
    // give-up) ends; none while the tick only waits for those or to drop faded nodes (their
    // relayout repaints).
    const bool animating = m_lastTickMs < m_canvas->animatedUntil();
    if (animating || m_canvas->markEndsIn(m_lastTickMs, now)) repaintChanged();
    m_tick->setInterval(animating ? std::clamp(int(2 * m_lastPaintNs / 1'000'000), kTickMs, kMaxTickMs) : kMaxTickMs);
    m_lastTickMs = now;
    if (m_canvas->exitedNodesFaded(now) && !m_cleanupRequested && !layoutPending()) {
        m_cleanupRequested = true;
        requestLayout();
    }
    if (now >= m_canvas->effectsUntil() && !m_canvas->exitedNodesFaded(now)) m_tick->stop();
}

// ---- painting ----

void TreeView::paintEvent(QPaintEvent* event) {
    m_paintRegion = event->region();
    m_item->setPaintRegion(m_paintRegion, viewport()->rect());
    QGraphicsView::paintEvent(event);
    m_item->setPaintRegion({}, {});
    m_paintRegion = {};
}

void TreeView::drawBackground(QPainter* painter, const QRectF& rect) {
    m_paintTimer.start();
    painter->fillRect(rect, m_canvas->greyed() ? TreePalette::greyed(TreePalette::background()) : TreePalette::background());
}

void TreeView::drawForeground(QPainter* painter, const QRectF&) {
    painter->save();
    painter->resetTransform();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    if (m_canvas->size() == 0 && !m_placeholder.isEmpty()) {
        painter->setFont(m_metrics->titleFont(false));
        painter->setPen(TreePalette::mutedText());
        painter->drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    }
    if (!m_diffCaption.isEmpty() && m_canvas->hasDiffOverlay()) {
        painter->setFont(m_metrics->titleFont(true));
        const QFontMetricsF fm(painter->font());
        const QRectF r(12, 10, fm.horizontalAdvance(m_diffCaption) + 20, fm.height() + 10);
        painter->setPen(QPen(TreePalette::edge(), 1));
        painter->setBrush(QColor(255, 255, 255, 235));
        painter->drawRoundedRect(r, 6, 6);
        painter->setPen(TreePalette::text());
        painter->drawText(r, Qt::AlignCenter, m_diffCaption);
    }
    if (m_legend && m_canvas->size() > 0 && (m_paintRegion.isEmpty() || m_legendRect.isEmpty() || m_paintRegion.intersects(m_legendRect)))
        drawLegend(painter);
    painter->restore();
    if (m_paintTimer.isValid()) m_lastPaintNs = m_paintTimer.nsecsElapsed();
}

qreal TreeView::legendReserve() const {
    if (!m_legend) return 0;
    // drawLegend's panel: two rows of (font height + 4), padding 8, 10 from the edge; and a gap.
    return 2 * (QFontMetricsF(m_metrics->smallFont(false)).height() + 4) + 8 + 10 + 6;
}

void TreeView::drawLegend(QPainter* painter) {
    const QFont& font = m_metrics->smallFont(false);
    painter->setFont(font);
    const QFontMetricsF fm(font);
    const qreal line = fm.height() + 4, swatch = fm.height() * 0.7, pad = 8;
    struct Entry {
        QColor colour;
        QString text;
    };
    std::vector<Entry> mailbox, exits;
    for (int level = 1; level <= MailboxHeatScale::kLevels; ++level)
        mailbox.push_back({MailboxHeatScale::color(level), MailboxHeatScale::label(level)});
    exits.push_back({TreePalette::exitColor(ExitCategory::Normal), QStringLiteral("normal")});
    exits.push_back({TreePalette::exitColor(ExitCategory::Killed), QStringLiteral("killed")});
    exits.push_back({TreePalette::exitColor(ExitCategory::Abnormal), QStringLiteral("crash")});
    exits.push_back({TreePalette::restart(), QStringLiteral("restart")});
    const QString rows[2] = {QStringLiteral("mailbox"), QStringLiteral("exit")};
    const qreal labelWidth = std::max(fm.horizontalAdvance(rows[0]), fm.horizontalAdvance(rows[1])) + pad;
    auto rowWidth = [&](const std::vector<Entry>& entries) {
        qreal w = 0;
        for (const auto& e : entries) w += swatch + 4 + fm.horizontalAdvance(e.text) + pad;
        return w;
    };
    const qreal width = labelWidth + std::max(rowWidth(mailbox), rowWidth(exits)) + pad;
    const qreal height = 2 * line + pad;
    const QRectF panel(10, viewport()->height() - height - 10, width, height);
    m_legendRect = panel.toAlignedRect().adjusted(-1, -1, 1, 1);
    painter->setPen(QPen(QColor(0, 0, 0, 40), 1));
    painter->setBrush(QColor(255, 255, 255, 230));
    painter->drawRoundedRect(panel, 6, 6);
    auto drawRow = [&](qreal y, const QString& label, const std::vector<Entry>& entries) {
        painter->setPen(TreePalette::mutedText());
        painter->drawText(QRectF(panel.left() + pad, y, labelWidth, line), Qt::AlignLeft | Qt::AlignVCenter, label);
        qreal x = panel.left() + pad + labelWidth;
        for (const auto& e : entries) {
            painter->setPen(Qt::NoPen);
            painter->setBrush(e.colour);
            painter->drawRoundedRect(QRectF(x, y + (line - swatch) / 2, swatch, swatch), 2, 2);
            x += swatch + 4;
            painter->setPen(TreePalette::text());
            const qreal tw = fm.horizontalAdvance(e.text);
            painter->drawText(QRectF(x, y, tw + 1, line), Qt::AlignLeft | Qt::AlignVCenter, e.text);
            x += tw + pad;
        }
    };
    drawRow(panel.top() + pad / 2, rows[0], mailbox);
    drawRow(panel.top() + pad / 2 + line, rows[1], exits);
}

// ---- input ----

void TreeView::mousePressEvent(QMouseEvent* event) {
    m_pressPos = event->pos();
    m_mouseDown = true;
    QGraphicsView::mousePressEvent(event);
}

void TreeView::mouseReleaseEvent(QMouseEvent* event) {
    QGraphicsView::mouseReleaseEvent(event);
    m_mouseDown = event->buttons() != Qt::NoButton;
    if (event->button() != Qt::LeftButton || (event->pos() - m_pressPos).manhattanLength() > 4) return;
    const QPointF scenePos = mapToScene(event->pos());
    const int i = m_canvas->nodeAt(scenePos, m_clock->nowMs());
    if (i >= 0) {
        const auto& node = m_canvas->layout()->nodes[static_cast<std::size_t>(i)];
        if (node.herd) {
            const QRectF box = TreeNodeMetrics::boxOf(node, m_canvas->layout()->geometry->rects[static_cast<std::size_t>(i)]);
            if (m_metrics->rows(node, box).toggle.adjusted(-3, -3, 3, 3).contains(scenePos)) {
                toggleHerd(i);
                return;
            }
        }
    }
    selectIndex(i, true);
}

void TreeView::mouseDoubleClickEvent(QMouseEvent* event) {
    const int i = m_canvas->nodeAt(mapToScene(event->pos()), m_clock->nowMs());
    if (i >= 0 && m_canvas->layout()->nodes[static_cast<std::size_t>(i)].herd) {
        toggleHerd(i);
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void TreeView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.0015, delta), event->position());
    event->accept();
}

void TreeView::contextMenuEvent(QContextMenuEvent* event) {
    const int i = m_canvas->nodeAt(mapToScene(event->pos()), m_clock->nowMs());
    const QString key = i >= 0 ? m_canvas->layout()->nodes[static_cast<std::size_t>(i)].key : QString();
    emit contextMenuRequested(i >= 0 ? m_canvas->pidOf(i) : 0, key, event->globalPos());
    event->accept();
}

void TreeView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    // Packing and wrapping follow the width to fit in (TreeLayoutRequest::fitWidth, 100-unit steps).
    if (m_tree && event->oldSize().width() / qRound(100 * kReadableZoom) != event->size().width() / qRound(100 * kReadableZoom))
        requestLayout();
    if (!m_userMoved) placeInitialView();
}

void TreeView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    // Only the user's dragging counts here (scroll bars and keys: actionTriggered); a scroll the
    // view makes itself (a new scene rect, a selection brought into view) keeps the view placed.
    if (!m_placing && m_mouseDown && (dx != 0 || dy != 0) && m_viewPlaced && isVisible()) m_userMoved = true;
}

bool TreeView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = m_canvas->nodeAt(mapToScene(help->pos()), m_clock->nowMs());
        if (i >= 0) QToolTip::showText(help->globalPos(), toolTipFor(i), viewport());
        else QToolTip::hideText();
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

QString TreeView::toolTipFor(int index) const {
    const auto& node = m_canvas->layout()->nodes[static_cast<std::size_t>(index)];
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(node.title.toHtmlEscaped());
    if (!node.subtitle.isEmpty()) lines << node.subtitle.toHtmlEscaped();
    if (const quint64 pid = m_canvas->pidOf(index); pid != 0) {
        const auto* info = m_canvas->processInfo(pid);
        lines << QStringLiteral("pid %1").arg(info && !info->pidText.empty() ? QString::fromStdString(info->pidText).toHtmlEscaped() : QString::number(pid));
    }
    if (node.herd) {
        lines << QStringLiteral("%1 processes; %2").arg(m_canvas->countOf(index)).arg(TreeNodeMetrics::ratesText(m_canvas->spawnRate(index), m_canvas->exitRate(index)));
        const auto mix = m_canvas->exitMix(index);
        const char* names[kExitCategories] = {"normal", "shutdown", "killed", "crash", "unknown"};
        QStringList parts;
        for (int c = 0; c < kExitCategories; ++c)
            if (mix[static_cast<std::size_t>(c)] > 0) parts << QStringLiteral("%1 %2").arg(QLatin1String(names[c])).arg(mix[static_cast<std::size_t>(c)]);
        if (!parts.isEmpty()) lines << QStringLiteral("exits: ") + parts.join(QStringLiteral(", "));
        lines << QStringLiteral("double-click or +/- to %1").arg(m_expanded.contains(node.key) ? QStringLiteral("collapse") : QStringLiteral("expand"));
    }
    if (const auto intensity = m_canvas->intensityOf(index))
        lines << TreeNodeMetrics::meterText((*intensity)[0], (*intensity)[1], (*intensity)[2]);
    if (const qint64 mailbox = m_canvas->mailboxOf(index); mailbox > 0)
        lines << QStringLiteral("mailbox %1%2").arg(node.herd ? QStringLiteral("max ") : QString()).arg(mailbox);
    if (node.ghost) lines << (node.origin == TreeLayout::Origin::DiffRemoved ? QStringLiteral("removed") : QStringLiteral("child slot without a running process"));
    return lines.join(QStringLiteral("<br>"));
}

} // namespace canopy::views
