#pragma once
#include "views/widgets/node_visual.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_node_metrics.h"

#include <QHash>
#include <QPixmap>
#include <QStaticText>
#include <unordered_map>
#include <vector>

class QPainter;

namespace canopy::views {

/// Paints the nodes and edges of a TreeCanvas, one at a time, from their NodeVisual: boxes with
/// their labels (QStaticText, prepared once per node), strategy lines, restart-intensity meters,
/// herd stacks with count, rates and exit mix, heat glows, pulse rings, badges (mailbox, give-up,
/// diff). At low zoom (text would be illegible) boxes are drawn without text. A node's chrome (heat
/// glow, herd stack, box outline: antialiased rounded paths, the costly part) is rendered once per
/// look and device scale into a small pixmap and blitted, so a frame of many alike nodes costs blits.
class TreeNodePainter {
public:
    /// How much to draw.
    enum class Detail {
        Boxes, ///< coloured boxes and straight edges, no text (zoomed far out)
        Full,  ///< everything
    };

    /// Paints with `metrics` (which must outlive the painter).
    explicit TreeNodePainter(const TreeNodeMetrics& metrics);

    /// Sizes the prepared texts for a new layout of `nodes` nodes (call when the layout changes; a
    /// text is prepared again when its node's text or font differs).
    void resetTexts(int nodes);
    /// Paints the edge from node `index`'s parent to it.
    void paintEdge(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& child,
                   const NodeVisual& parent, bool tweening, Detail detail) const;
    /// Paints node `index`. `expanded`: a herd drawn with its members under it.
    void paintNode(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& visual, Detail detail,
                   bool expanded);
    /// A scene rectangle holding every pixel paintNode() draws in full detail for node `index` with
    /// `visual` (box, glow, pulse ring, herd stack, badges): the part to repaint when it changes.
    QRectF extent(const TreeCanvas& canvas, int index, const NodeVisual& visual);
    /// How far an edge's ink reaches outside its path's bounds (scene units: the widest pen).
    static constexpr qreal kEdgeReach = 2.0;

    /// Pen width of a plain edge (scene units).
    static constexpr qreal kEdgeWidth = 1.3;
    /// Chrome pixmaps kept at most (all are dropped when it fills: a zoom or a new look).
    static constexpr int kMaxChrome = 512;
    /// Prepared state texts (herd counts, rates, restart meters) kept at most per font.
    static constexpr int kMaxStateTexts = 4096;

private:
    /// Everything a node's chrome depends on, in device pixels (hundredths) and colours.
    struct ChromeKey {
        int scaleMilli = 0;
        int rectW = 0, rectH = 0, boxX = 0, boxY = 0, boxW = 0, boxH = 0, borderWidth = 0;
        QRgb fill = 0, border = 0;
        int heat = 0;
        int toggleX = 0, toggleY = 0, toggleW = 0;
        bool herd = false, ghost = false, dynamic = false, expanded = false;
        bool operator==(const ChromeKey&) const = default;
    };
    friend size_t qHash(const ChromeKey& k, size_t seed = 0) {
        return qHashMulti(seed, k.scaleMilli, k.rectW, k.rectH, k.boxX, k.boxY, k.boxW, k.boxH, k.borderWidth, k.fill, k.border,
                          k.heat, k.toggleX, k.toggleY, k.toggleW, k.herd, k.ghost, k.dynamic, k.expanded);
    }
    /// Heat glow around `rect` (rings of the heat colour).
    static void drawGlow(QPainter* painter, const QRectF& rect, int heatLevel);
    /// Herd stack, box and the dynamic supervisor's inner outline.
    static void drawBody(QPainter* painter, const QRectF& box, const NodeVisual& v, bool dynamic);
    /// Glow and body from the pixmap cache; false when the transform does not allow it (rotation, shear).
    /// `toggle`: a herd's expand / collapse button (empty if none), part of the chrome.
    bool blitChrome(QPainter* painter, const QRectF& box, const NodeVisual& v, bool dynamic, const QRectF& toggle, bool expanded);
    /// A herd's expand (+) / collapse (-) button.
    static void drawToggle(QPainter* painter, const QRectF& toggle, const QColor& border, bool expanded);

    /// Calls `visit(anchor, label, colour, right)` for each corner badge of a node (mailbox, give-up,
    /// diff marks), in drawing order.
    template <typename Visit>
    void forEachBadge(const TreeCanvas& canvas, int index, const NodeVisual& v, const QRectF& box, Visit&& visit);
    /// A badge's rectangle for a label `width` wide at a box corner.
    QRectF badgeRect(const QPointF& anchor, qreal width, bool right, qreal boxCentreY) const;
    void paintBadge(QPainter* painter, const QRectF& rect, const QStaticText& text, const QColor& colour) const;
    /// A label prepared for drawing, and the font (one of the metrics' fonts) it was prepared in.
    struct PreparedText {
        QStaticText text;
        const QFont* font = nullptr;
    };
    QStaticText& text(std::vector<PreparedText>& cache, int index, const QString& s, const QFont& font);
    /// A text that follows the state (a herd's count or rates, a restart meter), prepared once per
    /// text and font: QPainter::drawText lays the text out on every paint (a third of a frame of
    /// 200 herds).
    const QStaticText& stateText(const QString& s, const QFont& font);
    /// Draws `text` centred in `rect` (with the painter's font, which must be the one it was prepared in).
    static void drawCentred(QPainter* painter, const QRectF& rect, const QStaticText& text);

    const TreeNodeMetrics& m_metrics;
    std::vector<PreparedText> m_titles;
    std::vector<PreparedText> m_subtitles;
    QString m_mailGlyph;
    qreal m_badgeHeight = 0;
    QHash<ChromeKey, QPixmap> m_chrome;
    std::unordered_map<const QFont*, QHash<QString, QStaticText>> m_stateTexts;
};

} // namespace canopy::views
