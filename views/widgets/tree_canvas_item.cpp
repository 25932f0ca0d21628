#include "views/widgets/tree_canvas_item.h"

#include "views/widgets/animation_clock.h"
#include "views/widgets/mailbox_heat_scale.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_palette.h"

#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <algorithm>

namespace canopy::views {

namespace {

/// True when an edge is drawn in the plain style (the edge colour, solid, opaque): the style many
/// edges share, so their polylines can be stroked together.
bool plainEdge(const NodeVisual& child, const NodeVisual& parent) {
    return child.opacity >= 1.0 && parent.opacity > 0.0 && !child.ghost && !child.selected && !child.onSelectedPath &&
           !child.gaveUp && !child.escalation;
}

} // namespace

void TreeCanvasItem::mergeSegments() {
    // The tidy tree's siblings share their parent's stem and bus: a hundred wrapped children ran a
    // hundred polyline strokes down the same trunk. Pieces on one line are swept into layers
    // instead: layer k holds the stretches covered by more than k edges, merged, and each layer is
    // one path, so a stretch is still inked as often as edges overlap there (antialiased ink adds
    // up: a shared trunk reads heavier than one edge, as before).
    for (auto& layer : m_layers) layer.clear();
    std::sort(m_segments.begin(), m_segments.end(), [](const Segment& a, const Segment& b) {
        if (a.vertical != b.vertical) return a.vertical < b.vertical;
        return a.at < b.at;
    });
    auto add = [&](QPainterPath& path, bool vertical, qreal at, qreal from, qreal to) {
        if (vertical) {
            path.moveTo(at, from);
            path.lineTo(at, to);
        } else {
            path.moveTo(from, at);
            path.lineTo(to, at);
        }
    };
    for (std::size_t i = 0; i < m_segments.size();) {
        std::size_t j = i;
        m_events.clear();
        while (j < m_segments.size() && m_segments[j].vertical == m_segments[i].vertical && m_segments[j].at == m_segments[i].at) {
            m_events.emplace_back(m_segments[j].from, +1);
            m_events.emplace_back(m_segments[j].to, -1);
            ++j;
        }
        // Starts before ends at one position: pieces that touch make one run.
        std::sort(m_events.begin(), m_events.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        int depth = 0;
        for (const auto& [at, step] : m_events) {
            // One piece starts or ends: only layer `depth` (a start) or `depth - 1` (an end) changes.
            if (step > 0) {
                if (m_runStart.size() <= static_cast<std::size_t>(depth)) m_runStart.resize(static_cast<std::size_t>(depth) + 1);
                m_runStart[static_cast<std::size_t>(depth)] = at;
                ++depth;
            } else {
                --depth;
                const qreal from = m_runStart[static_cast<std::size_t>(depth)];
                if (at <= from) continue;
                if (m_layers.size() <= static_cast<std::size_t>(depth)) m_layers.resize(static_cast<std::size_t>(depth) + 1);
                add(m_layers[static_cast<std::size_t>(depth)], m_segments[i].vertical, m_segments[i].at, from, at);
            }
        }
        i = j;
    }
}

TreeCanvasItem::TreeCanvasItem(const TreeCanvas& canvas, const AnimationClock& clock, const TreeNodeMetrics& metrics)
    : m_canvas(canvas), m_clock(clock), m_painter(metrics) {
    setFlag(QGraphicsItem::ItemUsesExtendedStyleOption, true);
}

QRectF TreeCanvasItem::boundingRect() const { return m_bounds; }

void TreeCanvasItem::layoutChanged() {
    const TreeLayout* layout = m_canvas.layout();
    const QRectF bounds = layout ? layout->geometry->bounds : QRectF();
    if (bounds != m_bounds) {
        prepareGeometryChange();
        m_bounds = bounds;
    }
    m_painter.resetTexts(m_canvas.size());
    m_visualOf.assign(static_cast<std::size_t>(m_canvas.size()), -1);
    // No update(): the view repaints its whole viewport after a layout. Marking the item dirty too
    // made the scene post a second repaint of 2,000 nodes after every seek.
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
    const bool boxes = detail == TreeNodePainter::Detail::Boxes && !tweening;
    const auto& edges = layout->geometry->edges;
    const auto& points = layout->geometry->points;
    // Edges first (all whose path meets the area: long buses cross the view with both ends outside).
    // Zoomed out, plain edges and plain boxes are batched into a few draw calls.
    // Tiny (a box a few pixels tall): boxes only, one fill per device pixel block; edges would be a
    // blur of thousands of overlapping lines.
    const bool tiny = boxes && scale * 30.0 < 4.0;
    // Plain polyline edges in full detail are stroked together, merged, before the others (which
    // stand out: the selection's path, escalations, ghosts, fades) are drawn over them.
    m_lines.clear();
    m_segments.clear();
    m_special.clear();
    for (int i = 0; i < m_canvas.size() && !tiny; ++i) {
        const int parent = layout->nodes[static_cast<std::size_t>(i)].parent;
        if (parent < 0) continue;
        const auto& e = edges[static_cast<std::size_t>(i)];
        if (!tweening && !e.bounds.intersects(exposed)) continue;
        if (tweening && !(m_canvas.currentRect(i, now).united(m_canvas.currentRect(parent, now))).intersects(exposed)) continue;
        const NodeVisual child = visualOf(i);
        const NodeVisual& from = visualOf(parent);
        const bool plain = plainEdge(child, from);
        const QPointF* p = points.data() + e.firstPoint;
        if (boxes && plain) {
            if (e.bezier) m_lines.emplace_back(p[0], p[e.pointCount - 1]);
            else
                for (int k = 1; k < e.pointCount; ++k) m_lines.emplace_back(p[k - 1], p[k]);
            continue;
        }
        if (!boxes && !tweening && plain && !e.bezier && e.pointCount >= 2) {
            bool axisParallel = true;
            for (int k = 1; k < e.pointCount && axisParallel; ++k) axisParallel = p[k - 1].x() == p[k].x() || p[k - 1].y() == p[k].y();
            if (axisParallel) {
                for (int k = 1; k < e.pointCount; ++k) {
                    const QPointF a = p[k - 1], b = p[k];
                    if (a == b) continue;
                    if (a.x() == b.x()) m_segments.push_back({true, a.x(), std::min(a.y(), b.y()), std::max(a.y(), b.y())});
                    else m_segments.push_back({false, a.y(), std::min(a.x(), b.x()), std::max(a.x(), b.x())});
                }
                continue;
            }
        }
        m_special.push_back(i);
    }
    if (!m_lines.empty()) {
        painter->setOpacity(1.0);
        painter->setPen(QPen(m_canvas.greyed() ? TreePalette::greyed(TreePalette::edge()) : TreePalette::edge(), 0));
        painter->drawLines(m_lines.data(), static_cast<int>(m_lines.size()));
    }
    if (!m_segments.empty()) {
        mergeSegments();
        painter->setOpacity(1.0);
        painter->setPen(QPen(m_canvas.greyed() ? TreePalette::greyed(TreePalette::edge()) : TreePalette::edge(), TreeNodePainter::kEdgeWidth));
        painter->setBrush(Qt::NoBrush);
        for (const QPainterPath& layer : m_layers)
            if (!layer.isEmpty()) painter->drawPath(layer);
    }
    for (const int i : m_special)
        m_painter.paintEdge(painter, m_canvas, i, visualOf(i), visualOf(layout->nodes[static_cast<std::size_t>(i)].parent), tweening, detail);
    m_groups.clear();
    for (int i : m_visible) {
        const NodeVisual& v = visualOf(i);
        const auto& node = layout->nodes[static_cast<std::size_t>(i)];
        ++m_lastPainted;
        if (boxes && v.opacity >= 1.0 && !v.herd && !v.ghost) {
            const QRgb fill = (v.heatLevel > 0 ? MailboxHeatScale::color(v.heatLevel) : v.fill).rgba();
            const QRgb border = v.border.rgba();
            auto g = std::find_if(m_groups.begin(), m_groups.end(), [&](const BoxGroup& b) { return b.fill == fill && b.border == border; });
            if (g == m_groups.end()) g = m_groups.insert(m_groups.end(), BoxGroup{fill, border, {}});
            g->rects.push_back(v.rect);
            continue;
        }
        m_painter.paintNode(painter, m_canvas, i, v, detail, node.herd && m_expanded.contains(node.key));
    }
    painter->setOpacity(1.0);
    if (tiny) {
        // Device pixels: boxes that land on the same pixels are filled once.
        const QTransform world = painter->worldTransform();
        painter->save();
        painter->resetTransform();
        for (BoxGroup& g : m_groups) {
            m_seen.clear();
            m_deviceRects.clear();
            for (const QRectF& r : g.rects) {
                const QRect d = world.mapRect(r).toAlignedRect();
                if (m_seen.insert((static_cast<quint64>(static_cast<quint32>(d.x())) << 32) | static_cast<quint32>(d.y())).second) m_deviceRects.push_back(d);
            }
            // At this size a box is its outline: white workers would vanish on the background.
            const QColor fill = QColor::fromRgba(g.fill == QColor(Qt::white).rgba() ? g.border : g.fill).darker(g.fill == QColor(Qt::white).rgba() ? 100 : 115);
            for (const QRect& d : m_deviceRects) painter->fillRect(d, fill);
        }
        painter->restore();
        m_groups.clear();
    }
    for (const BoxGroup& g : m_groups) {
        painter->setPen(QPen(QColor::fromRgba(g.border), 0));
        painter->setBrush(QColor::fromRgba(g.fill));
        painter->drawRects(g.rects.data(), static_cast<int>(g.rects.size()));
    }
    painter->setOpacity(1.0);
    for (const int i : m_touched) m_visualOf[static_cast<std::size_t>(i)] = -1;
}

} // namespace canopy::views
