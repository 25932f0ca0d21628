#pragma once
#include "views/export/diagram_tree.h"
#include "views/widgets/tree_diff_overlay.h"

#include <QFont>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <memory>
#include <unordered_set>

namespace canopy::views {

/// What the tree view asks its layout thread to lay out: the diagram plus the view's own additions
/// (pin, expanded herds, exiting nodes that keep their slot, a diff's removed processes).
struct TreeLayoutRequest {
    /// Which engine lays the tree out.
    enum class Engine { Auto, Dot, Tidy };

    /// Increasing per request; the answer carries it.
    quint64 generation = 0;
    /// The structure to draw (nullptr = nothing).
    std::shared_ptr<const exporting::DiagramTree> tree;
    /// Lay out only this node's subtree ("" = everything; an id not in the tree is ignored).
    QString pinnedKey;
    /// Herds to draw with their members under them, and the members' labels by pid.
    QSet<QString> expandedHerds;
    QHash<quint64, QString> memberTitles;
    /// Processes a diff shows as removed (drawn as ghosts under their parent's node).
    QList<TreeDiffOverlay::Removed> removed;
    /// True: nodes of the previous layout whose process left the tree keep their slot (they are
    /// fading out), except for the pids in fadedPids. False (reset, pin, expansion): nothing lingers.
    bool keepExiting = true;
    std::unordered_set<quint64> fadedPids;
    /// False: the view shows the answer without tweening or fading.
    bool animate = true;
    Engine engine = Engine::Auto;
    /// Auto uses `dot` up to this many drawn nodes.
    int dotNodeLimit = 1000;
    /// The width (scene units) the tree should fit in to be read whole: the view's width at its
    /// first, readable zoom. Rows of many leaves wider than part of it are packed into columns, wider
    /// rows wrapped (the tidy tree; Auto then prefers it to dot). 0 = the tidy tree's own defaults.
    double fitWidth = 0;
    /// The canvas font (node sizes come from its metrics).
    QFont font;
};

} // namespace canopy::views
