#include "views/widgets/tree_canvas_item.h"

#include "views/widgets/animation_clock.h"
#include "views/widgets/tree_canvas.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <algorithm>

namespace canopy::views {

TreeCanvasItem::TreeCanvasItem(const TreeCanvas& canvas, const AnimationClock& clock, const TreeNodeMetrics& metrics)
    : m_canvas(canvas), m_clock(clock), m_painter(metrics) {
    setFlag(QGraphicsItem::ItemUsesExtendedStyleOption, true);
}

QRectF TreeCanvasItem::boundingRect() const { return m_bounds; }

void TreeCanvasItem::layoutChanged() {
    prepareGeometryChange();
    const TreeLayout* layout = m_canvas.layout();
    m_bounds = layout ? layout->geometry->bounds : QRectF();
    m_painter.resetTexts(m_canvas.size());
    m_visualOf.assign(static_cast<std::size_t>(m_canvas.size()), -1);
    update();
}

void TreeCanvasItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    m_lastPainted = 0;
    const TreeLayout* layout = m_canvas.layout();
    if (!layout) return;
    const qint64 now = m_clock.nowMs();
    const qreal scale = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    const auto detail = scale >= kMinTextScale ? TreeNodePainter::Detail::Full : TreeNodePainter::Detail::Boxes;
    painter->setRenderHint(QPainter::Antialiasing, detail == TreeNodePainter::Detail::Full);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    // Badges and glows reach a little outside the boxes.
    const QRectF exposed = option->exposedRect.adjusted(-30, -30, 30, 30);

    // Nodes to paint: those meeting the exposed area, and the parents of their edges.
    if (m_visualOf.size() != static_cast<std::size_t>(m_canvas.size())) m_visualOf.assign(static_cast<std::size_t>(m_canvas.size()), -1);
    m_visible.clear();
    m_visuals.clear();
    m_touched.clear();
    m_canvas.forEachNodeIn(exposed, now, [&](int i) { m_visible.push_back(i); });
    std::sort(m_visible.begin(), m_visible.end());
    auto visualOf = [&](int i) -> const NodeVisual& {
        int& slot = m_visualOf[static_cast<std::size_t>(i)];
        if (slot < 0) {
            slot = static_cast<int>(m_visuals.size());
            m_visuals.push_back(m_canvas.visual(i, now));
            m_touched.push_back(i);
        }
        return m_visuals[static_cast<std::size_t>(slot)];
    };
    const bool tweening = m_canvas.tweening(now);
    const auto& edges = layout->geometry->edges;
    // Edges first (all whose path meets the area: long buses cross the view with both ends outside).
    for (int i = 0; i < m_canvas.size(); ++i) {
        const int parent = layout->nodes[static_cast<std::size_t>(i)].parent;
        if (parent < 0) continue;
        const auto& e = edges[static_cast<std::size_t>(i)];
        if (!tweening && !e.bounds.intersects(exposed)) continue;
        if (tweening && !(m_canvas.currentRect(i, now).united(m_canvas.currentRect(parent, now))).intersects(exposed)) continue;
        const NodeVisual child = visualOf(i);
        m_painter.paintEdge(painter, m_canvas, i, child, visualOf(parent), tweening, detail);
    }
    for (int i : m_visible) {
        const NodeVisual& v = visualOf(i);
        const auto& node = layout->nodes[static_cast<std::size_t>(i)];
        m_painter.paintNode(painter, m_canvas, i, v, detail, node.herd && m_expanded.contains(node.key));
        ++m_lastPainted;
    }
    painter->setOpacity(1.0);
    for (const int i : m_touched) m_visualOf[static_cast<std::size_t>(i)] = -1;
}

} // namespace canopy::views
