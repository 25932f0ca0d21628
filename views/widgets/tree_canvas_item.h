#pragma once
#include "views/widgets/tree_node_painter.h"

#include <QGraphicsItem>
#include <QLineF>
#include <QRegion>
#include <QTransform>
#include <QPainterPath>
#include <QSet>
#include <QString>
#include <functional>
#include <optional>
#include <unordered_set>

namespace canopy::views {

class AnimationClock;
class TreeCanvas;
class TreeNodeMetrics;

/// The one QGraphicsItem of the tree view: paints every node and edge of a TreeCanvas from its flat
/// arrays at the clock's time, culled to the exposed rectangle (ItemUsesExtendedStyleOption, so the
/// exposed rectangle is the part being repainted, not the whole item), with level of detail: boxes
/// without text when labels would be too small to read.
class TreeCanvasItem final : public QGraphicsItem {
public:
    /// Zoom below which text is not drawn (the heading would be under about 9 px).
    static constexpr qreal kMinTextScale = 0.6;

    /// Paints `canvas` at `clock`'s time with `metrics` (all must outlive the item).
    TreeCanvasItem(const TreeCanvas& canvas, const AnimationClock& clock, const TreeNodeMetrics& metrics);

    /// The canvas's bounds (an empty rectangle before the first layout).
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    /// Call after the canvas got a new layout (bounds and prepared texts change); repaint the view
    /// (changedRegion() tells what, when the layout kept the previous one's geometry).
    void layoutChanged();
    /// Herds drawn expanded (their toggle shows "-").
    void setExpandedHerds(const QSet<QString>& keys) { m_expanded = keys; }
    /// Nodes painted by the last paint() (tests and benchmarks check the culling with it).
    int lastPaintedNodes() const { return m_lastPainted; }

    /// The viewport region of the paint event being handled (the view sets it around each paint;
    /// empty: paint the exposed rectangle without keeping track of what is shown, as for render()).
    void setPaintRegion(const QRegion& viewportRegion, const QRect& viewport) {
        m_paintRegion = viewportRegion;
        m_paintViewport = viewport;
    }
    /// The part of the viewport (device pixels of `viewport` under the view transform `world`) whose
    /// look changed since it was painted: nodes and edges whose look (a function of the canvas
    /// state and the clock's time) differs from the one last painted there. nullopt when the whole
    /// viewport must be repainted (a new layout or transform, nodes moving, boxes without text).
    std::optional<QRegion> changedRegion(const QTransform& world, const QRect& viewport);

private:
    const TreeCanvas& m_canvas;
    const AnimationClock& m_clock;
    TreeNodePainter m_painter;
    QRectF m_bounds;
    QSet<QString> m_expanded;
    std::vector<int> m_visible;
    /// The looks of the nodes a paint or a look check needs, each computed once per pass:
    /// startVisuals() begins a pass, visualAt() computes a node's look at its first use.
    void startVisuals();
    const NodeVisual& visualAt(int i, qint64 nowMs);
    std::vector<NodeVisual> m_visuals;
    std::vector<int> m_visualOf;
    std::vector<int> m_touched;
    /// Zoomed out: plain edges as lines, plain boxes grouped by colours.
    struct BoxGroup {
        QRgb fill;
        QRgb border;
        std::vector<QRectF> rects;
    };
    std::vector<QLineF> m_lines;
    /// Full detail: the axis-parallel pieces of plain polyline edges (merged, then stroked once),
    /// and the edges drawn one by one over them.
    struct Segment {
        bool vertical;
        qreal at, from, to;
    };
    /// Times a stretch under many edges is inked at most (an expanded herd of 10k members shares
    /// one stem; past a few hundred strokes antialiased ink no longer darkens).
    static constexpr int kMaxEdgeLayers = 256;
    void mergeSegments();
    std::vector<Segment> m_segments;
    std::vector<std::pair<qreal, int>> m_events;
    std::vector<qreal> m_runStart;
    std::vector<QPainterPath> m_layers;
    std::vector<int> m_special;
    std::vector<BoxGroup> m_groups;
    std::unordered_set<quint64> m_seen;
    std::vector<QRect> m_deviceRects;
    int m_lastPainted = 0;

    /// What was last painted, per node: its look (0: unknown, repaint it) and where it was drawn
    /// (device pixels), and its edge's look.
    quint64 lookOf(int index, const NodeVisual& v) const;
    static quint64 edgeLookOf(const NodeVisual& child, const NodeVisual& parent);
    QRect deviceExtent(const QTransform& world, const QRectF& scene) const;
    struct Shown {
        quint64 look = 0;
        quint64 edgeLook = 0;
        QRect extent;
    };
    std::vector<Shown> m_shown;
    QRegion m_paintRegion;
    QRect m_paintViewport;
    QTransform m_shownWorld;
    bool m_shownValid = false;
    const TreeGeometry* m_shownGeometry = nullptr; // the layout geometry m_shown is about
};

} // namespace canopy::views
