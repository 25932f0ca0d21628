#pragma once
#include "views/export/diagram_tree.h"
#include "views/model/change_batch.h"
#include "views/widgets/node_visual.h"
#include "views/widgets/tree_diff_overlay.h"

#include <QElapsedTimer>
#include <QFont>
#include <QGraphicsView>
#include <QRegion>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

class QTimer;

namespace canopy::views {

class AnimationClock;
class TreeCanvas;
class TreeCanvasItem;
class TreeLayoutWorker;
class TreeNodeMetrics;
struct TreeLayout;

/// The live supervision tree: a QGraphicsView (raster viewport) whose nodes are painted by one canvas
/// item from flat arrays. setDiagram() gives it a structure (laid out off the GUI thread, latest wins,
/// then tweened); applyBatch() gives it live changes (fades, pulses, heat, herd counts) that never
/// relayout. Node ids are DiagramNode ids (slot paths); a restarted child keeps its node.
/// Call applyBatch() before setDiagram() for the same moment (the order the session worker cuts them).
class TreeView : public QGraphicsView {
    Q_OBJECT
public:
    /// Which layout engine lays the tree out.
    enum class LayoutEngine {
        Auto, ///< Graphviz `dot` up to dotNodeLimit() drawn nodes, the linear tidy tree beyond (and
              ///< for trees it packs or wraps: many workers under one supervisor, very wide rows)
        Dot,  ///< always `dot` (slow past ~1k nodes)
        Tidy, ///< always the tidy tree
    };

    /// Facts about the layout last applied (for status bars, tests and benchmarks).
    struct LayoutInfo {
        /// `dot` or `tidy` ("" before the first layout).
        QString engine;
        /// Drawn nodes (including fading-out and ghost nodes).
        int nodes = 0;
        /// Milliseconds the layout worker spent (sizes, layout, edges, hit grid).
        double workerMs = 0;
        /// A `dot` failure that made the view fall back to the tidy tree (one line; empty if none).
        QString error;
    };

    /// An empty view with the real clock.
    explicit TreeView(QWidget* parent = nullptr);
    ~TreeView() override;

    /// A new structure (the worker builds it at most 4 Hz when the tree's structure changed). Laid
    /// out on the layout thread; the view then tweens nodes to their new places and fades new nodes
    /// in; layoutApplied() follows. A tree with the same shape as the one drawn (only herd counts or
    /// pids differ) is applied in place without a relayout and without layoutApplied(). nullptr or an
    /// empty tree clears the view.
    void setDiagram(std::shared_ptr<const exporting::DiagramTree> tree);
    /// Live changes: spawned children fade in, exited ones fade out coloured by exit reason (keeping
    /// their slot until faded), restarts pulse the same node, give-ups mark the supervisor and its
    /// escalation path, mailbox lengths glow, herds update count, rates and exit mix. Never relayouts.
    /// `batch.changes.reset` drops every effect: the next layout is shown without animation.
    void applyBatch(const ChangeBatch& batch);

    /// Greys the last tree (connection lost) or restores it.
    void setGreyed(bool greyed);
    /// True while greyed.
    bool isGreyed() const;

    /// Draws a diff on the tree: added (green), removed (ghosts under their parent, red), restarted
    /// (orange) and mailbox deltas. Removed processes need a relayout (layoutApplied() follows).
    void setDiffOverlay(const TreeDiffOverlay& overlay);
    /// Removes the diff overlay.
    void clearDiffOverlay();

    /// Finds drawn nodes whose label contains `text` (case-insensitive) or that stand for a pid
    /// written as `<0.42.0>` or `42`; returns their ids in tree order, highlights them and selects the
    /// first (its path to the root highlighted). An empty text clears the matches.
    QStringList find(const QString& text);
    /// Selects the next / previous match of the last find() (wrapping), centring on it.
    void selectNextMatch();
    void selectPreviousMatch();
    /// Selects the node standing for `pid` (a herd if the pid is in one) and centres on it; no signal.
    /// Returns false when no drawn node stands for it.
    bool selectPid(quint64 pid);
    /// Selects a node by id and centres on it; no signal. Returns false for an unknown id.
    bool selectNode(const QString& nodeId);
    /// Clears the selection; no signal.
    void clearSelection();
    /// The selected node's id ("" if none).
    QString selectedNodeId() const;

    /// Shows only the subtree of `nodeId` (relayout); unknown ids are ignored.
    void pinSubtree(const QString& nodeId);
    /// Shows the whole tree again.
    void unpin();
    /// The pinned node's id ("" if none).
    QString pinnedNodeId() const;

    /// Expands a herd into its members (drawn under the herd's node, split locally from the pids the
    /// view holds: the members' own subtrees stay merged under the herd) or collapses it. A click on a
    /// herd's +/- toggle or a double-click on the herd does the same.
    void setHerdExpanded(const QString& herdId, bool expanded);
    /// Ids of the expanded herds.
    QSet<QString> expandedHerds() const;

    /// Replaces the animation clock (tests pass a ManualAnimationClock). The view shares ownership.
    void setAnimationClock(std::shared_ptr<AnimationClock> clock);
    /// The animation clock in use.
    AnimationClock& animationClock() const;

    /// Chooses the layout engine (default Auto) and the node count up to which Auto uses `dot`.
    void setLayoutEngine(LayoutEngine engine);
    void setDotNodeLimit(int nodes);
    /// The node count up to which Auto uses `dot` (measured: see bench/gui).
    int dotNodeLimit() const;
    /// Facts about the layout last applied.
    LayoutInfo layoutInfo() const;
    /// True while a requested layout has not been applied yet.
    bool layoutPending() const;
    /// True while nodes move from their old places to a new layout's (a screenshot waits for it).
    bool tweening() const;

    /// Shows or hides the legend (mailbox heat and exit colours) in the view's corner (default shown).
    void setLegendVisible(bool visible);
    /// Where the legend was last drawn (viewport pixels; empty before the first paint).
    QRect legendRect() const { return m_legendRect; }
    /// Text shown in the middle while there is no tree (default: none).
    void setPlaceholderText(const QString& text);

    /// Ids of the drawn nodes, parents before children (depth-first, start order).
    QStringList nodeIds() const;
    /// The id of the node under a viewport position ("" if none).
    QString nodeAt(const QPoint& viewportPos) const;
    /// How a node is drawn at the animation clock's current time; nullopt for an unknown id.
    std::optional<NodeVisual> visualOf(const QString& nodeId) const;
    /// The node's final box in scene coordinates (after any tween); null for an unknown id.
    QRectF nodeRect(const QString& nodeId) const;
    /// The pids a drawn node stands for now (a herd's live members; empty for ghosts).
    QList<quint64> pidsOf(const QString& nodeId) const;

public slots:
    /// Fits the whole tree in the view (small trees are not enlarged past 100 %). Large trees become
    /// boxes without text (level of detail) rather than unreadable text.
    void fitAll();
    /// Zooms in / out by one step around the view's centre; resetZoom() goes back to 100 %.
    void zoomIn();
    void zoomOut();
    void resetZoom();
    /// Repaints for the clock's time and does what is due (a relayout once exiting nodes have
    /// faded). The view's timer calls it while effects run; tests with a manual clock call it.
    void animationTick();

signals:
    /// The user selected a process (click, or find() / selectNextMatch()); 0 for herds, ghosts and
    /// a click on empty space.
    void processSelected(quint64 pid);
    /// The user selected a node (click), or find() / selectNextMatch() moved the selection ("" when
    /// a click on empty space cleared it). processSelected() is emitted just before, in both cases.
    void nodeSelected(const QString& nodeId);
    /// Right click (or the context-menu key) on a node; pid 0 for herds and ghosts, nodeId "" for
    /// empty space.
    void contextMenuRequested(quint64 pid, const QString& nodeId, const QPoint& globalPos);
    /// A layout from setDiagram() (or a pin, herd expansion, diff) has been applied and shown.
    void layoutApplied();

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;

private:
    void requestLayout(bool keepExiting = true);
    void onLayoutReady(std::shared_ptr<const TreeLayout> layout);
    void ensureTicking();
    /// Repaints the parts of the viewport whose look changed (all of it when that cannot be told).
    void repaintChanged();
    void centreOnNode(int index);
    void selectIndex(int index, bool emitSignals);
    void zoomBy(qreal factor, const QPointF& viewportAnchor);
    void placeInitialView();
    /// The height the legend takes at the bottom of the viewport (0 when hidden).
    qreal legendReserve() const;
    void toggleHerd(int index);
    void rebuildItem();
    QString toolTipFor(int index) const;
    void drawLegend(QPainter* painter);

    std::shared_ptr<AnimationClock> m_clock;
    QFont m_font;
    std::unique_ptr<TreeNodeMetrics> m_metrics;
    std::unique_ptr<TreeCanvas> m_canvas;
    TreeCanvasItem* m_item = nullptr;
    std::unique_ptr<TreeLayoutWorker> m_worker;
    QTimer* m_tick = nullptr;
    QElapsedTimer m_paintTimer; // from drawBackground to the end of drawForeground
    qint64 m_lastPaintNs = 0;   // the last paint's duration (sets the animation tick)
    std::shared_ptr<const exporting::DiagramTree> m_tree;
    LayoutEngine m_engine = LayoutEngine::Auto;
    int m_dotLimit;
    quint64 m_requested = 0;
    quint64 m_applied = 0;
    bool m_nextInstant = true;
    bool m_snapNext = false; // a jump landed: the next layout requested is shown at once
    quint64 m_snapFrom = 0;  // layouts from this generation on snap (0: none)
    qint64 m_lastTickMs = 0; // the animation clock at the last tick
    bool m_cleanupRequested = false;
    QString m_pinned;
    QSet<QString> m_expanded;
    QList<TreeDiffOverlay::Removed> m_removed;
    QStringList m_matches;
    int m_matchIndex = -1;
    bool m_legend = true;
    QString m_placeholder;
    QString m_diffCaption;
    bool m_viewPlaced = false;
    bool m_userMoved = false;
    bool m_placing = false;
    bool m_mouseDown = false;
    QPoint m_pressPos;
    LayoutInfo m_info;
    QRegion m_paintRegion; // the region of the paint event being handled
    QRect m_legendRect;    // where the legend was last drawn (viewport pixels)
};

} // namespace canopy::views
