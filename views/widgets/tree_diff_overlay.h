#pragma once
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QtGlobal>

namespace canopy::views {

/// What a diff of two moments (or two sessions) draws on the tree: the shell converts the core's
/// SnapshotDiff into this, shows the later moment's DiagramTree and passes this to
/// TreeView::setDiffOverlay(). Pids are the later moment's, except for `removed`.
struct TreeDiffOverlay {
    /// A process present at the first moment and gone at the second: drawn as a ghost under the node
    /// of its parent (if that node is drawn).
    struct Removed {
        /// The pid it had.
        quint64 pid = 0;
        /// Its parent's pid (the node it is drawn under).
        quint64 parentPid = 0;
        /// Its label (registered name, child id or initial call; `:init/1` is stripped when drawn).
        QString title;
        /// `worker`, `supervisor` or `dynamic_supervisor`.
        QString kind = QStringLiteral("worker");
        /// The node of its parent's slot (a DiagramNode id), for when parentPid is gone (the parent
        /// restarted in between).
        QString parentKey;
    };

    /// One line shown with the overlay, e.g. `diff 12.0 s -> 30.0 s` (empty = none).
    QString caption;
    /// Processes that appeared between the two moments.
    QSet<quint64> added;
    /// Processes that went away (drawn as ghosts).
    QList<Removed> removed;
    /// Restarted slots: the later pid and how many restarts happened in between.
    QHash<quint64, int> restarted;
    /// Mailbox length change per pid (later minus earlier; zero deltas may be left out).
    QHash<quint64, qint64> mailboxDelta;

    /// True when there is nothing to draw.
    bool empty() const { return added.isEmpty() && removed.isEmpty() && restarted.isEmpty() && mailboxDelta.isEmpty(); }
};

} // namespace canopy::views
