// Stub of the tree canvas API (session 3): compiles and links so the app can integrate it; the
// real implementation follows on the `canvas` branch.
#include "views/widgets/tree_view.h"

#include "views/widgets/steady_animation_clock.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_layout_worker.h"

#include <QTimer>

namespace canopy::views {

struct TreeLayout {};

TreeView::TreeView(QWidget* parent)
    : QGraphicsView(parent), m_clock(std::make_shared<SteadyAnimationClock>()), m_dotLimit(1000) {
    setScene(new QGraphicsScene(this));
}

TreeView::~TreeView() = default;

void TreeView::setDiagram(std::shared_ptr<const exporting::DiagramTree> tree) {
    m_tree = std::move(tree);
    QTimer::singleShot(0, this, [this] { emit layoutApplied(); });
}
void TreeView::applyBatch(const ChangeBatch&) {}
void TreeView::setGreyed(bool) {}
bool TreeView::isGreyed() const { return false; }
void TreeView::setDiffOverlay(const TreeDiffOverlay&) {}
void TreeView::clearDiffOverlay() {}
QStringList TreeView::find(const QString&) { return {}; }
void TreeView::selectNextMatch() {}
void TreeView::selectPreviousMatch() {}
bool TreeView::selectPid(quint64) { return false; }
bool TreeView::selectNode(const QString&) { return false; }
void TreeView::clearSelection() {}
QString TreeView::selectedNodeId() const { return {}; }
void TreeView::pinSubtree(const QString& nodeId) { m_pinned = nodeId; }
void TreeView::unpin() { m_pinned.clear(); }
QString TreeView::pinnedNodeId() const { return m_pinned; }
void TreeView::setHerdExpanded(const QString&, bool) {}
QSet<QString> TreeView::expandedHerds() const { return m_expanded; }
void TreeView::setAnimationClock(std::shared_ptr<AnimationClock> clock) { m_clock = std::move(clock); }
AnimationClock& TreeView::animationClock() const { return *m_clock; }
void TreeView::setLayoutEngine(LayoutEngine engine) { m_engine = engine; }
void TreeView::setDotNodeLimit(int nodes) { m_dotLimit = nodes; }
int TreeView::dotNodeLimit() const { return m_dotLimit; }
TreeView::LayoutInfo TreeView::layoutInfo() const { return m_info; }
bool TreeView::layoutPending() const { return false; }
void TreeView::setLegendVisible(bool visible) { m_legend = visible; }
void TreeView::setPlaceholderText(const QString& text) { m_placeholder = text; }
QStringList TreeView::nodeIds() const { return {}; }
QString TreeView::nodeAt(const QPoint&) const { return {}; }
std::optional<NodeVisual> TreeView::visualOf(const QString&) const { return std::nullopt; }
QRectF TreeView::nodeRect(const QString&) const { return {}; }
QList<quint64> TreeView::pidsOf(const QString&) const { return {}; }
void TreeView::fitAll() {}
void TreeView::zoomIn() {}
void TreeView::zoomOut() {}
void TreeView::resetZoom() {}
void TreeView::drawBackground(QPainter* painter, const QRectF& rect) { QGraphicsView::drawBackground(painter, rect); }
void TreeView::drawForeground(QPainter* painter, const QRectF& rect) { QGraphicsView::drawForeground(painter, rect); }
void TreeView::mousePressEvent(QMouseEvent* event) { QGraphicsView::mousePressEvent(event); }
void TreeView::mouseReleaseEvent(QMouseEvent* event) { QGraphicsView::mouseReleaseEvent(event); }
void TreeView::mouseDoubleClickEvent(QMouseEvent* event) { QGraphicsView::mouseDoubleClickEvent(event); }
void TreeView::wheelEvent(QWheelEvent* event) { QGraphicsView::wheelEvent(event); }
void TreeView::contextMenuEvent(QContextMenuEvent* event) { QGraphicsView::contextMenuEvent(event); }
bool TreeView::viewportEvent(QEvent* event) { return QGraphicsView::viewportEvent(event); }
void TreeView::requestLayout() {}
void TreeView::onLayoutReady(std::shared_ptr<const TreeLayout>) {}
void TreeView::onTick() {}
void TreeView::ensureTicking() {}
void TreeView::centreOnNode(int) {}
void TreeView::selectIndex(int, bool) {}
void TreeView::zoomBy(qreal, const QPointF&) {}
void TreeView::placeInitialView() {}

} // namespace canopy::views
