#pragma once
#include "views/widgets/node_visual.h"
#include "views/widgets/tree_canvas.h"
#include "views/widgets/tree_node_metrics.h"

#include <QStaticText>
#include <vector>

class QPainter;

namespace canopy::views {

/// Paints the nodes and edges of a TreeCanvas, one at a time, from their NodeVisual: boxes with
/// their labels (QStaticText, prepared once per node), strategy lines, restart-intensity meters,
/// herd stacks with count, rates and exit mix, heat glows, pulse rings, badges (mailbox, give-up,
/// diff). At low zoom (text would be illegible) boxes are drawn without text.
class TreeNodePainter {
public:
    /// How much to draw.
    enum class Detail {
        Boxes, ///< coloured boxes and straight edges, no text (zoomed far out)
        Full,  ///< everything
    };

    /// Paints with `metrics` (which must outlive the painter).
    explicit TreeNodePainter(const TreeNodeMetrics& metrics);

    /// Forgets prepared texts (call when the layout changes).
    void resetTexts(int nodes);
    /// Paints the edge from node `index`'s parent to it.
    void paintEdge(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& child,
                   const NodeVisual& parent, bool tweening, Detail detail) const;
    /// Paints node `index`. `expanded`: a herd drawn with its members under it.
    void paintNode(QPainter* painter, const TreeCanvas& canvas, int index, const NodeVisual& visual, Detail detail,
                   bool expanded);

private:
    void paintBadge(QPainter* painter, const QPointF& anchor, const QString& text, const QColor& colour, bool right) const;
    QStaticText& text(std::vector<QStaticText>& cache, int index, const QString& s, const QFont& font);

    const TreeNodeMetrics& m_metrics;
    std::vector<QStaticText> m_titles;
    std::vector<QStaticText> m_subtitles;
    QString m_mailGlyph;
    qreal m_badgeBoxCentreY = 0; // the box being badged (top or bottom corner)
};

} // namespace canopy::views
