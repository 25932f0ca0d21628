#include "views/widgets/tree_canvas_item.h"

#include "views/widgets/animation_clock.h"
#include "views/widgets/mailbox_heat_scale.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_palette.h"

#include <QBackingStore>
#include <QPaintEngine>
#include <QPainter>
#include <QWidget>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <algorithm>
#include <bit>

namespace canopy::views {

namespace {

/// True when an edge is drawn in the plain style (the edge colour, solid, opaque): the style many
/// edges share, so their polylines can be stroked together.
bool plainEdge(const NodeVisual& child, const NodeVisual& parent) {
    return child.opacity >= 1.0 && parent.opacity > 0.0 && !child.ghost && !child.selected && !child.onSelectedPath &&
           !child.gaveUp && !child.escalation;
}

/// Mixes one value into a look hash.
void mix(quint64& h, quint64 value) {
    h ^= value + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
}

quint64 bits(double d) { return std::bit_cast<quint64>(d); }

} // namespace

quint64 TreeCanvasItem::lookOf(int index, const NodeVisual& v) const {
    // Everything paintNode() draws from, beyond the layout's own text: the visual, the numbers
    // shown as text (counts, rates, meters, mailbox badges), the exit mix, diff marks, the toggle.
    quint64 h = 0x51ed270b27a5f1c3ull;
    for (const double d : {v.rect.x(), v.rect.y(), v.rect.width(), v.rect.height(), v.opacity, v.borderWidth, v.pulseGrow, v.pulseAlpha})
        mix(h, bits(d));
    mix(h, v.fill.rgba64());
    mix(h, v.border.rgba64());
    mix(h, v.text.rgba64());
    mix(h, static_cast<quint64>(v.heatLevel));
    mix(h, static_cast<quint64>(v.count));
    mix(h, static_cast<quint64>(v.ghost) | static_cast<quint64>(v.herd) << 1 | static_cast<quint64>(v.exiting) << 2 |
               static_cast<quint64>(v.selected) << 3 | static_cast<quint64>(v.onSelectedPath) << 4 | static_cast<quint64>(v.match) << 5 |
               static_cast<quint64>(v.gaveUp) << 6 | static_cast<quint64>(v.escalation) << 7 | static_cast<quint64>(v.greyed) << 8 |
               static_cast<quint64>(v.mailboxGrowing) << 9);
    if (v.heatLevel > 0) mix(h, static_cast<quint64>(m_canvas.mailboxOf(index)));
    const auto& node = m_canvas.layout()->nodes[static_cast<std::size_t>(index)];
    if (node.herd) {
        mix(h, bits(m_canvas.spawnRate(index)));
        mix(h, bits(m_canvas.exitRate(index)));
        for (const int c : m_canvas.exitMix(index)) mix(h, static_cast<quint64>(c));
        mix(h, m_expanded.contains(node.key) ? 1 : 2);
    } else if (const auto intensity = m_canvas.intensityOf(index)) {
        for (const int x : *intensity) mix(h, static_cast<quint64>(x));
    }
    if (m_canvas.hasDiffOverlay()) {
        mix(h, m_canvas.diffAdded(index) ? 3 : 4);
        mix(h, static_cast<quint64>(m_canvas.diffRestarts(index)));
        mix(h, static_cast<quint64>(m_canvas.diffMailboxDelta(index)));
    }
    return h == 0 ? 1 : h;
}

quint64 TreeCanvasItem::edgeLookOf(const NodeVisual& child, const NodeVisual& parent) {
    // What paintEdge() (or the merged plain edges) draws from.
    quint64 h = 0x2545f4914f6cdd1dull;
    mix(h, bits(child.opacity));
    mix(h, static_cast<quint64>(parent.opacity > 0.0) | static_cast<quint64>(child.ghost) << 1 | static_cast<quint64>(child.selected) << 2 |
               static_cast<quint64>(child.onSelectedPath) << 3 | static_cast<quint64>(child.gaveUp) << 4 |
               static_cast<quint64>(child.escalation) << 5 | static_cast<quint64>(parent.escalation) << 6 |
               static_cast<quint64>(child.greyed) << 7 | static_cast<quint64>(plainEdge(child, parent)) << 8);
    return h == 0 ? 1 : h;
}

QRect TreeCanvasItem::deviceExtent(const QTransform& world, const QRectF& scene) const {
    // One more device pixel around: antialiasing and the chrome pixmap's whole-pixel placement.
    return world.mapRect(scene).toAlignedRect().adjusted(-2, -2, 2, 2);
}

void TreeCanvasItem::startVisuals() {
    if (m_visualOf.size() != static_cast<std::size_t>(m_canvas.size())) m_visualOf.assign(static_cast<std::size_t>(m_canvas.size()), -1);
    m_visuals.clear();
    // References from visualAt() stay valid while others are added (an edge takes both ends).
    m_visuals.reserve(static_cast<std::size_t>(m_canvas.size()));
    m_touched.clear();
}

const NodeVisual& TreeCanvasItem::visualAt(int i, qint64 nowMs) {
    int& slot = m_visualOf[static_cast<std::size_t>(i)];
    if (slot < 0) {
        slot = static_cast<int>(m_visuals.size());
        m_visuals.push_back(m_canvas.visual(i, nowMs));
        m_touched.push_back(i);
    }
    return m_visuals[static_cast<std::size_t>(slot)];
}

std::optional<QRegion> TreeCanvasItem::changedRegion(const QTransform& world, const QRect& viewport) {
    const TreeLayout* layout = m_canvas.layout();
    if (!layout || !m_shownValid || world != m_shownWorld || m_shown.size() != static_cast<std::size_t>(m_canvas.size())) return std::nullopt;
    const qint64 now = m_clock.nowMs();
    if (m_canvas.tweening(now) || QStyleOptionGraphicsItem::levelOfDetailFromTransform(world) < kMinTextScale) return std::nullopt;
    // Nodes whose ink can reach into the viewport (pulse rings and badges stand out of the box).
    const QRectF area = world.inverted().mapRect(QRectF(viewport)).adjusted(-40, -40, 40, 40);
    startVisuals();
    auto visualOf = [&](int i) -> const NodeVisual& { return visualAt(i, now); };
    QRegion dirty;
    int pieces = 0;
    constexpr int kMaxPieces = 64; // more: one repaint of everything is as cheap
    m_canvas.forEachNodeIn(area, now, [&](int i) {
        if (pieces > kMaxPieces) return;
        const NodeVisual v = visualOf(i);
        Shown& shown = m_shown[static_cast<std::size_t>(i)];
        if (lookOf(i, v) == shown.look) return;
        const QRect r = deviceExtent(world, m_painter.extent(m_canvas, i, v)).united(shown.extent) & viewport;
        if (r.isEmpty()) return;
        dirty += r;
        ++pieces;
    });
    const auto& edges = layout->geometry->edges;
    for (int i = 0; i < m_canvas.size() && pieces <= kMaxPieces; ++i) {
        const int parent = layout->nodes[static_cast<std::size_t>(i)].parent;
        if (parent < 0) continue;
        const QRectF bounds = edges[static_cast<std::size_t>(i)].bounds.adjusted(-TreeNodePainter::kEdgeReach, -TreeNodePainter::kEdgeReach,
                                                                                  TreeNodePainter::kEdgeReach, TreeNodePainter::kEdgeReach);
        if (!bounds.intersects(area)) continue;
        if (edgeLookOf(visualOf(i), visualOf(parent)) == m_shown[static_cast<std::size_t>(i)].edgeLook) continue;
        const QRect r = deviceExtent(world, bounds) & viewport;
        if (r.isEmpty()) continue;
        dirty += r;
        ++pieces;
    }
    for (const int i : m_touched) m_visualOf[static_cast<std::size_t>(i)] = -1;
    if (pieces > kMaxPieces) return std::nullopt;
    return dirty;
}

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
                if (depth < kMaxEdgeLayers) {
                    if (m_runStart.size() <= static_cast<std::size_t>(depth)) m_runStart.resize(static_cast<std::size_t>(depth) + 1);
                    m_runStart[static_cast<std::size_t>(depth)] = at;
                }
                ++depth;
            } else {
                --depth;
                if (depth >= kMaxEdgeLayers) continue;
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
    // The same geometry (a tree of the same shape: only herd counts or pids changed): the same nodes
    // in the same places, so what was painted of them still stands.
    const TreeGeometry* geometry = layout ? layout->geometry.get() : nullptr;
    if (geometry == nullptr || geometry != m_shownGeometry || m_shown.size() != static_cast<std::size_t>(m_canvas.size())) {
        m_shown.assign(static_cast<std::size_t>(m_canvas.size()), {});
        m_shownValid = false;
    }
    m_shownGeometry = geometry;
    // No update(): the view repaints its whole viewport after a layout. Marking the item dirty too
    // made the scene post a second repaint of 2,000 nodes after every seek.
}

void TreeCanvasItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) {
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

    // In a paint event, the region repainted (device pixels): what lies outside it is neither
    // painted nor, for nodes and edges only partly inside it, taken as shown.
    const QTransform world = painter->worldTransform();
    // Only a paint into the window's backing store shows on screen (grab() and render() paint the
    // viewport into an image of their own).
    const bool onScreen = widget && widget->backingStore() && painter->paintEngine() &&
                          painter->paintEngine()->paintDevice() == widget->backingStore()->paintDevice();
    const bool tracking = onScreen && !m_paintRegion.isEmpty() && m_shown.size() == static_cast<std::size_t>(m_canvas.size());
    const bool whole = tracking && QRegion(m_paintViewport).subtracted(m_paintRegion).isEmpty();
    auto outside = [&](const QRect& device) { return tracking && !whole && !m_paintRegion.intersects(device); };
    auto covered = [&](const QRect& device) { return whole || QRegion(device & m_paintViewport).subtracted(m_paintRegion).isEmpty(); };
    // Nodes to paint: those meeting the exposed area, and the parents of their edges.
    m_visible.clear();
    startVisuals();
    m_canvas.forEachNodeIn(exposed, now, [&](int i) { m_visible.push_back(i); });
    std::sort(m_visible.begin(), m_visible.end());
    auto visualOf = [&](int i) -> const NodeVisual& { return visualAt(i, now); };
    const bool tweening = m_canvas.tweening(now);
    const bool boxes = detail == TreeNodePainter::Detail::Boxes && !tweening;
    const auto& edges = layout->geometry->edges;
    const auto& points = layout->geometry->points;
    // Edges first (all whose path meets the area: long buses cross the view with both ends outside).
    // Zoomed out, plain edges and plain boxes are batched into a few draw calls.
    // Tiny (a box a few pixels tall): boxes only, one fill per device pixel block; edges would be a
    // blur of thousands of overlapping lines.
    const bool tiny = boxes && scale * 30.0 < 4.0;
    // What is painted is taken as shown only in full detail with nodes standing still (else the
    // next change repaints everything).
    const bool record = tracking && detail == TreeNodePainter::Detail::Full && !tweening;
    auto recordEdge = [&](int i, const QRect& device) {
        Shown& shown = m_shown[static_cast<std::size_t>(i)];
        const quint64 look = edgeLookOf(visualOf(i), visualOf(layout->nodes[static_cast<std::size_t>(i)].parent));
        if (look != shown.edgeLook) shown.edgeLook = covered(device) ? look : 0;
    };
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
        if (!tweening) {
            const qreal reach = TreeNodePainter::kEdgeReach;
            const QRect device = deviceExtent(world, e.bounds.adjusted(-reach, -reach, reach, reach));
            if (outside(device)) continue;
            if (record) recordEdge(i, device);
        }
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
        if (tracking) {
            const QRect device = deviceExtent(world, m_painter.extent(m_canvas, i, v));
            if (outside(device)) continue;
            if (record) {
                // Partly repainted with a new look: unknown, so the next change repaints all of it.
                Shown& shown = m_shown[static_cast<std::size_t>(i)];
                const quint64 look = lookOf(i, v);
                const bool all = covered(device);
                if (look != shown.look) shown.look = all ? look : 0;
                shown.extent = all ? device : shown.extent.united(device);
            }
        }
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
    if (tracking) {
        if (!record || (!whole && world != m_shownWorld)) m_shownValid = false;
        else if (whole) m_shownValid = true;
        m_shownWorld = world;
    }
}

} // namespace canopy::views
