#pragma once
#include "views/model/change_batch.h"
#include "views/widgets/exit_category.h"
#include "views/widgets/node_visual.h"
#include "views/widgets/tree_diff_overlay.h"
#include "views/widgets/tree_layout.h"

#include <QHash>
#include <QRectF>
#include <QSet>
#include <QString>
#include <array>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy::views {

/// The tree canvas's state on the GUI thread: the layout drawn now plus, per node, what happens to
/// it (tween, fade in, fade out by exit reason, restart pulse, give-up, mailbox heat, herd counts,
/// rates and exit mix, selection, matches, diff marks). Applying a layout or a batch is linear in
/// what changed (never a rescan of the tree); how a node looks is a function of this state and a
/// time (visual()), so tests set the time and read what would be drawn. No painting here.
class TreeCanvas {
public:
    static constexpr qint64 kNever = std::numeric_limits<qint64>::min() / 4;
    /// Durations of the effects (ms).
    static constexpr qint64 kFadeInMs = 600;
    static constexpr qint64 kFadeOutMs = 1400;
    static constexpr qint64 kFadeOutAbnormalMs = 2600;
    static constexpr qint64 kPulseMs = 1000;
    static constexpr qint64 kTweenMs = 450;
    static constexpr qint64 kGiveUpMs = 15000;
    /// Window of a herd's spawn and exit rates (session time).
    static constexpr qint64 kRateWindowNs = 10'000'000'000;

    /// What one live process is known to be (from the batches' records).
    struct ProcessInfo {
        quint64 parent = 0;
        qint64 mailbox = 0;
        int restartsInWindow = 0;
        int maxRestarts = 0;
        int maxSeconds = 0;
        /// The record's display name and printed pid, as sent (labels are made when shown).
        std::string displayName;
        std::string pidText;
    };
    /// A herd's live activity: events in the rate window and exits by category since it was drawn.
    struct HerdActivity {
        std::deque<qint64> spawnsNs;
        std::deque<qint64> exitsNs;
        std::array<int, kExitCategories> exits{};
        /// When the longest mailbox was last recomputed over all members (at most once a second).
        qint64 mailboxRefreshedMs = kNever;
    };

    TreeCanvas() = default;

    /// The layout drawn (nullptr before the first).
    const TreeLayout* layout() const { return m_layout.get(); }
    /// Number of drawn nodes.
    int size() const { return m_layout ? static_cast<int>(m_layout->nodes.size()) : 0; }
    /// Shows `layout` from `nowMs`: nodes matched to the previous layout (by pid for processes, by
    /// key for slots and herds) keep their effects and tween from where they are; new nodes fade in
    /// (unless the layout is not animated); nodes of processes that left and are not yet faded are
    /// the layout's Exiting nodes. `snap` (the layout after a jump): nodes are matched and keep their
    /// effects, but nothing moves or fades in: the new tree is shown at once.
    /// Returns the layout shown before (the caller may free it elsewhere).
    std::shared_ptr<const TreeLayout> applyLayout(std::shared_ptr<const TreeLayout> layout, qint64 nowMs, bool snap = false);
    /// What a batch did.
    struct BatchEffect {
        bool reset = false;   ///< it was a reset: every effect dropped
        bool changed = false; ///< something drawn changed (a repaint is due)
    };
    /// Applies live changes at `nowMs` (see TreeView::applyBatch). A jump (ChangeBatch::jump) drops
    /// every effect running and starts only those of events recent enough to show at the moment
    /// landed on, at their age (an exit 0.5 s before it is half a second into its fade).
    BatchEffect applyBatch(const ChangeBatch& batch, qint64 nowMs);

    /// How node `index` is drawn at `nowMs`.
    NodeVisual visual(int index, qint64 nowMs) const;
    /// Node `index`'s box at `nowMs` (moving during a tween).
    QRectF currentRect(int index, qint64 nowMs) const;
    /// True while nodes move from a relayout.
    bool tweening(qint64 nowMs) const { return nowMs < m_tweenStart + kTweenMs; }
    /// Calls `visit(index)` for every node whose box meets `area` at `nowMs`.
    template <typename Visit>
    void forEachNodeIn(const QRectF& area, qint64 nowMs, Visit&& visit) const {
        if (!m_layout) return;
        if (tweening(nowMs)) {
            const auto& rects = m_layout->geometry->rects;
            for (int i = 0; i < size(); ++i) {
                const auto& live = m_live[static_cast<std::size_t>(i)];
                if (rects[static_cast<std::size_t>(i)].intersects(area) || (live.tween && live.from.intersects(area))) visit(i);
            }
        } else {
            m_layout->geometry->grid.forEachIn(area, visit);
        }
    }
    /// The node at a scene point at `nowMs`, or -1.
    int nodeAt(const QPointF& scenePos, qint64 nowMs) const;
    /// Until when anything drawn changes with time: effects and still marks (the view's timer
    /// stops after it).
    qint64 effectsUntil() const { return std::max(m_effectsUntil, m_marksUntil); }
    /// Until when effects move (fades, pulses, tweens): repainted on every tick until then.
    qint64 animatedUntil() const { return m_effectsUntil; }
    /// True when a still mark (a give-up and its escalation path, drawn alike for 15 s) ends after
    /// `afterMs` and no later than `untilMs`: one repaint is due, none while it lasts.
    bool markEndsIn(qint64 afterMs, qint64 untilMs) const;
    /// True when a node the view added for an exiting process has finished fading (a relayout that
    /// drops it is due).
    bool exitedNodesFaded(qint64 nowMs) const;
    /// Pids whose fade-out has finished (they must not keep a slot in the next layout).
    std::unordered_set<quint64> fadedPids(qint64 nowMs) const;

    /// Node index by key or by pid (live: restarts and herd joins included), -1 if not drawn.
    int indexOfKey(const QString& key) const;
    int indexOfPid(quint64 pid) const;
    /// The pid a single-process node stands for now (0 for herds and ghosts).
    quint64 pidOf(int index) const;
    /// The pids a node stands for now (a herd's members at the last layout plus joins, minus exits).
    QList<quint64> pidsOf(int index) const;
    /// A herd's count now; spawn and exit rates per second; exits by category.
    qint64 countOf(int index) const;
    double spawnRate(int index) const;
    double exitRate(int index) const;
    std::array<int, kExitCategories> exitMix(int index) const;
    /// A supervisor's restart intensity (restarts in window, max restarts, window seconds); nullopt
    /// when not known or not a supervisor.
    std::optional<std::array<int, 3>> intensityOf(int index) const;
    /// Mailbox length of a process, the longest of a herd's.
    qint64 mailboxOf(int index) const;
    /// True when node `index` stands for a process whose mailbox keeps growing (the batches'
    /// growingMailboxes).
    bool mailboxGrowing(int index) const;
    /// Diff marks of a node: added, restarts, mailbox delta.
    bool diffAdded(int index) const;
    int diffRestarts(int index) const;
    qint64 diffMailboxDelta(int index) const;
    /// What is known about a pid (nullptr if nothing).
    const ProcessInfo* processInfo(quint64 pid) const;
    /// Labels of the members of the given herds (for a layout request expanding them).
    QHash<quint64, QString> memberTitles(const QSet<QString>& herdKeys) const;
    /// Ancestors of `index`, nearest first.
    std::vector<int> ancestorsOf(int index) const;

    /// Selection (-1 = none); its path to the root is marked.
    void setSelected(int index);
    int selected() const { return m_selected; }
    bool onSelectedPath(int index) const;
    /// Nodes matching the last search.
    void setMatches(const std::vector<int>& indices);
    /// Greyed (connection lost).
    void setGreyed(bool greyed) { m_greyed = greyed; }
    bool greyed() const { return m_greyed; }
    /// The diff overlay (nullopt = none).
    void setDiffOverlay(std::optional<TreeDiffOverlay> overlay);
    bool hasDiffOverlay() const { return m_diff.has_value(); }

private:
    /// Per node: what happens to it.
    struct NodeLive {
        QRectF from;
        bool tween = false;
        qint64 appearAt = kNever;
        qint64 exitAt = kNever;
        ExitCategory exitCategory = ExitCategory::Unknown;
        qint64 pulseAt = kNever;
        qint64 giveUpAt = kNever;
        qint64 escalationAt = kNever;
        qint64 count = 1;
        qint64 mailbox = 0;
        quint64 pid = 0;
        int herd = -1;
        bool match = false;
        bool onPath = false;
        bool diffAdded = false;
        int diffRestarts = 0;
        qint64 diffMailbox = 0;
    };

    static qint64 fadeOutMs(ExitCategory c) {
        return c == ExitCategory::Abnormal || c == ExitCategory::Killed ? kFadeOutAbnormalMs : kFadeOutMs;
    }
    void extendEffects(qint64 untilMs) { m_effectsUntil = std::max(m_effectsUntil, untilMs); }
    void addMark(qint64 untilMs);
    void rememberRecord(const introspection::ProcessRecord& record, bool full);
    void refreshHerdMailbox(int index);
    void recomputeDiffMarks();
    void markPath();
    bool isSingle(int index) const;

    std::shared_ptr<const TreeLayout> m_layout;
    std::vector<NodeLive> m_live;
    std::vector<HerdActivity> m_herds;
    /// Live pid -> node changes since the layout (restarts, joins; -1 = gone).
    std::unordered_map<quint64, int> m_pidOverride;
    /// Pids that joined a herd since the layout, per herd node.
    std::unordered_map<int, std::vector<quint64>> m_joined;
    std::unordered_map<quint64, ProcessInfo> m_processes;
    /// The growing mailboxes of the last batch, and their nodes (found again after a batch or layout).
    std::vector<quint64> m_growingPids;
    mutable std::unordered_set<int> m_growingNodes;
    mutable bool m_growingDirty = false;
    std::vector<int> m_exiting;
    qint64 m_tweenStart = kNever;
    qint64 m_effectsUntil = kNever;
    qint64 m_marksUntil = kNever;
    std::vector<qint64> m_markEnds; // ends of still marks (pruned a second after)
    qint64 m_sessionNowNs = 0;
    int m_selected = -1;
    QString m_selectedKey;
    quint64 m_selectedPid = 0;
    QSet<QString> m_matchKeys;
    bool m_greyed = false;
    std::optional<TreeDiffOverlay> m_diff;
};

} // namespace canopy::views
