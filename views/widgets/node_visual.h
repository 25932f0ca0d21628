#pragma once
#include <QColor>
#include <QRectF>
#include <QtGlobal>

namespace canopy::views {

/// How one node of the tree canvas is drawn at one moment: computed from the canvas state and the
/// animation clock's time, then painted. Tests read it through TreeView::visualOf().
struct NodeVisual {
    /// The node's box in scene coordinates now (moving while a relayout tweens).
    QRectF rect;
    /// 0 (invisible) .. 1: fading in after a spawn, fading out after an exit, dimmed for ghosts.
    qreal opacity = 1.0;
    /// Box fill, border and text colours (exit colours while fading out; greys when greyed).
    QColor fill;
    QColor border;
    QColor text;
    /// Border width in scene units.
    qreal borderWidth = 1.0;
    /// Restart pulse: how far the ring stands out from the box (scene units) and its alpha (0 = none).
    qreal pulseGrow = 0.0;
    qreal pulseAlpha = 0.0;
    /// Mailbox heat level 0 (none) .. 4 (MailboxHeatScale).
    int heatLevel = 0;
    /// Processes the node stands for now (a herd's live count; 1 for a process; 0 for a ghost).
    qint64 count = 1;
    /// State flags.
    bool ghost = false;       ///< a child slot with no running process (or a diff's removed process)
    bool herd = false;        ///< stands for several processes (drawn as a stack)
    bool exiting = false;     ///< its process exited; fading out in its slot
    bool selected = false;    ///< the selected node
    bool onSelectedPath = false; ///< an ancestor of the selected node (path to the root)
    bool match = false;       ///< matches the last find()
    bool gaveUp = false;      ///< a supervisor that reached its restart intensity and gave up
    bool escalation = false;  ///< an ancestor of a supervisor that gave up (the escalation path)
    bool greyed = false;      ///< the view is greyed (connection lost)
    bool mailboxGrowing = false; ///< its mailbox (a herd: a member's) keeps growing (the alarm)
};

} // namespace canopy::views
