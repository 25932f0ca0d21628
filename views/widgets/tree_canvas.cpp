#include "views/widgets/tree_canvas.h"

#include "views/widgets/mailbox_heat_scale.h"
#include "views/widgets/tree_label.h"
#include "views/widgets/tree_palette.h"
#include "views/widgets/tree_process_family.h"

#include <algorithm>

namespace canopy::views {

namespace {

using Node = TreeLayout::Node;

double clamp01(double t) { return std::clamp(t, 0.0, 1.0); }
double easeOut(double t) { return 1.0 - (1.0 - t) * (1.0 - t); }
double smooth(double t) { return t * t * (3.0 - 2.0 * t); }

QColor blend(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t),
                            static_cast<float>(a.alphaF() + (b.alphaF() - a.alphaF()) * t));
}

QRectF lerp(const QRectF& a, const QRectF& b, double t) {
    return QRectF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t, a.width() + (b.width() - a.width()) * t,
                  a.height() + (b.height() - a.height()) * t);
}

/// Events of a sorted-ish time list within the window ending at `nowNs`.
std::size_t eventsSince(const std::deque<qint64>& times, qint64 fromNs) {
    return static_cast<std::size_t>(times.end() - std::lower_bound(times.begin(), times.end(), fromNs));
}

void prune(std::deque<qint64>& times, qint64 fromNs) {
    while (!times.empty() && times.front() < fromNs) times.pop_front();
}

} // namespace

bool TreeCanvas::isSingle(int index) const {
    const Node& n = m_layout->nodes[static_cast<std::size_t>(index)];
    return !n.herd && !n.ghost && m_layout->pidCount(index) == 1;
}

std::shared_ptr<const TreeLayout> TreeCanvas::applyLayout(std::shared_ptr<const TreeLayout> next, qint64 nowMs, bool snap) {
    std::shared_ptr<const TreeLayout> old = std::move(m_layout);
    std::vector<NodeLive> oldLive = std::move(m_live);
    std::vector<HerdActivity> oldHerds = std::move(m_herds);
    const auto oldOverride = std::move(m_pidOverride);
    const qint64 oldTweenStart = m_tweenStart;
    m_layout = std::move(next);
    m_live.clear();
    m_herds.clear();
    m_pidOverride.clear();
    m_joined.clear();
    m_exiting.clear();
    if (!m_layout || !m_layout->geometry) {
        m_layout.reset();
        m_selected = -1;
        return old;
    }
    const int n = size();
    m_live.assign(static_cast<std::size_t>(n), {});
    const bool carry = old && !oldLive.empty() && m_layout->animate;
    const bool sameShape = carry && m_layout->sameShape && static_cast<int>(old->nodes.size()) == n;
    auto oldIndexOfPid = [&](quint64 pid) {
        if (auto o = oldOverride.find(pid); o != oldOverride.end()) return o->second;
        auto b = old->byPid.find(pid);
        return b == old->byPid.end() ? -1 : b->second;
    };
    auto oldRect = [&](int j) {
        const QRectF& target = old->geometry->rects[static_cast<std::size_t>(j)];
        const NodeLive& l = oldLive[static_cast<std::size_t>(j)];
        if (!l.tween || nowMs >= oldTweenStart + kTweenMs) return target;
        return lerp(l.from, target, easeOut(clamp01(static_cast<double>(nowMs - oldTweenStart) / kTweenMs)));
    };
    auto oldSingle = [&](int j) {
        const Node& o = old->nodes[static_cast<std::size_t>(j)];
        return !o.herd && !o.ghost && old->pidCount(j) == 1;
    };
    bool anyTween = false;
    const auto& nodes = m_layout->nodes;
    const auto& rects = m_layout->geometry->rects;
    for (int i = 0; i < n; ++i) {
        const Node& node = nodes[static_cast<std::size_t>(i)];
        NodeLive& live = m_live[static_cast<std::size_t>(i)];
        int j = -1;
        if (sameShape) {
            j = i;
        } else if (carry) {
            // A process is the same node wherever it moved; a slot or a herd is the same by key.
            if (isSingle(i)) {
                const int k = oldIndexOfPid(m_layout->firstPid(i));
                if (k >= 0 && oldSingle(k)) j = k;
            }
            if (j < 0) {
                const int k = old->byKey.value(node.key, -1);
                if (k >= 0 && old->nodes[static_cast<std::size_t>(k)].herd == node.herd) {
                    // Keys of dynamic children are positional (`Todo.Server#2`): between two processes a
                    // key only means the same slot under a static supervisor (a restart the batches
                    // have not reported yet). Herds, ghosts and added nodes are the same by key.
                    const bool staticSlot =
                        node.parent >= 0 && nodes[static_cast<std::size_t>(node.parent)].kind == TreeLayout::Kind::Supervisor;
                    const bool processes = isSingle(i) && oldSingle(k);
                    const bool oldGone = processes && !m_layout->byPid.count(old->firstPid(k));
                    if (!processes || (staticSlot && oldGone)) j = k;
                }
            }
        }
        if (j >= 0) {
            const NodeLive& o = oldLive[static_cast<std::size_t>(j)];
            live = o;
            live.tween = false;
            live.herd = -1;
            if (o.herd >= 0) {
                live.herd = static_cast<int>(m_herds.size());
                m_herds.push_back(std::move(oldHerds[static_cast<std::size_t>(o.herd)]));
            }
            if (sameShape) {
                live.tween = o.tween && !snap;
            } else if (!snap) {
                const QRectF from = oldRect(j);
                if (from != rects[static_cast<std::size_t>(i)]) {
                    live.from = from;
                    live.tween = true;
                    anyTween = true;
                }
            }
            // A static slot now held by another process (its supervisor was restarted and started it
            // afresh, so no batch reported a restart): the new process is not the one that exited.
            if (live.exitAt != kNever && isSingle(i) && oldSingle(j) && old->firstPid(j) != m_layout->firstPid(i)) {
                live.exitAt = kNever;
                live.appearAt = snap ? kNever : nowMs;
                if (!snap) extendEffects(nowMs + kFadeInMs);
            }
            if (!snap && oldLive[static_cast<std::size_t>(j)].appearAt != kNever && old->nodes[static_cast<std::size_t>(j)].ghost && !node.ghost) {
                live.appearAt = nowMs; // a ghost slot whose process is back
                extendEffects(nowMs + kFadeInMs);
            }
        } else if (carry && !snap && node.origin != TreeLayout::Origin::DiffRemoved) {
            live.appearAt = nowMs;
            extendEffects(nowMs + kFadeInMs);
            // A process that was drawn in a herd comes out of the herd's box instead of fading in.
            if (isSingle(i)) {
                const int k = oldIndexOfPid(m_layout->firstPid(i));
                if (k >= 0) {
                    live.from = oldRect(k);
                    live.tween = anyTween = true;
                    live.appearAt = kNever;
                }
            }
        }
        // What the node stands for now.
        live.count = node.ghost ? 0 : static_cast<qint64>(std::max<std::size_t>(1, m_layout->pidCount(i)));
        if (node.treeIndex >= 0) live.count = node.ghost ? 0 : static_cast<qint64>(m_layout->tree->nodes()[static_cast<std::size_t>(node.treeIndex)].count);
        live.pid = isSingle(i) ? m_layout->firstPid(i) : 0;
        if (live.pid != 0)
            if (const ProcessInfo* info = processInfo(live.pid)) live.mailbox = info->mailbox;
        if (node.herd) {
            if (live.herd < 0) {
                live.herd = static_cast<int>(m_herds.size());
                m_herds.emplace_back();
            }
            if (!sameShape) refreshHerdMailbox(i);
        }
        if (node.origin == TreeLayout::Origin::Exiting && live.exitAt == kNever) {
            // Left the tree without an exit in a batch: a grey fade (already over when snapping).
            live.exitAt = snap ? nowMs - kFadeOutMs : nowMs;
            live.exitCategory = ExitCategory::Unknown;
            if (!snap) extendEffects(nowMs + kFadeOutMs);
        }
        if (live.exitAt != kNever) m_exiting.push_back(i);
        live.match = false;
        live.onPath = false;
    }
    if (!sameShape) m_tweenStart = anyTween ? nowMs : kNever;
    else m_tweenStart = snap ? kNever : oldTweenStart;
    if (anyTween) extendEffects(nowMs + kTweenMs);

    // The selection follows its process (keys of dynamic children are positional), else its slot.
    m_selected = m_selectedPid != 0 ? indexOfPid(m_selectedPid) : -1;
    if (m_selected < 0 && !m_selectedKey.isEmpty()) m_selected = indexOfKey(m_selectedKey);
    if (m_selected < 0) {
        m_selectedKey.clear();
        m_selectedPid = 0;
    } else {
        m_selectedKey = m_layout->nodes[static_cast<std::size_t>(m_selected)].key;
    }
    markPath();
    for (const QString& key : std::as_const(m_matchKeys))
        if (int i = indexOfKey(key); i >= 0) m_live[static_cast<std::size_t>(i)].match = true;
    recomputeDiffMarks();
    m_growingDirty = true;
    return old;
}

TreeCanvas::BatchEffect TreeCanvas::applyBatch(const ChangeBatch& batch, qint64 nowMs) {
    const auto& changes = batch.changes;
    bool growingChanged = batch.growingMailboxes.size() != m_growingPids.size();
    for (std::size_t i = 0; !growingChanged && i < m_growingPids.size(); ++i) growingChanged = batch.growingMailboxes[i].pid != m_growingPids[i];
    if (growingChanged) {
        m_growingPids.clear();
        for (const auto& g : batch.growingMailboxes) m_growingPids.push_back(g.pid);
    }
    m_growingDirty = true; // pids may have moved between nodes
    if (changes.reset) {
        m_processes.clear();
        m_processes.reserve(batch.records.size());
        for (const auto& r : batch.records) rememberRecord(r, true);
        for (auto& l : m_live) {
            l.appearAt = l.exitAt = l.pulseAt = l.giveUpAt = l.escalationAt = kNever;
            l.tween = false;
        }
        for (auto& h : m_herds) h = HerdActivity{};
        m_exiting.clear();
        m_markEnds.clear();
        m_tweenStart = m_effectsUntil = m_marksUntil = kNever;
        m_sessionNowNs = batch.timeNs;
        for (int i = 0; i < size(); ++i) {
            NodeLive& l = m_live[static_cast<std::size_t>(i)];
            if (l.pid != 0)
                if (const ProcessInfo* info = processInfo(l.pid)) l.mailbox = info->mailbox;
            if (m_layout->nodes[static_cast<std::size_t>(i)].herd) refreshHerdMailbox(i);
        }
        return {true, true};
    }
    bool drawn = false; // something drawn changed
    // A jump lands in one state: what ran at the moment shown before means nothing at the new one,
    // and the changes in between are not replayed: no fades, pulses or tweens, so it costs one
    // repaint (a churning system restarts hundreds of children a second: pulsing those of the
    // last second kept the clock running for a second). Only give-up marks recent enough to be
    // still showing there are drawn, at their age (they are still, not animated).
    const bool jump = batch.jump;
    if (jump) {
        for (auto& l : m_live) {
            l.appearAt = l.pulseAt = l.giveUpAt = l.escalationAt = kNever;
            l.tween = false;
            if (l.exitAt != kNever) l.exitAt = nowMs - fadeOutMs(l.exitCategory); // gone: faded at once
        }
        for (auto& h : m_herds) h.spawnsNs.clear(), h.exitsNs.clear();
        m_markEnds.clear();
        m_tweenStart = m_effectsUntil = m_marksUntil = kNever;
        drawn = true;
    }
    std::erase_if(m_markEnds, [&](qint64 end) { return end < nowMs - 1000; });
    // When a mark of `durationMs` for an event at session time `eventNs` starts on the clock: now,
    // live; after a jump as long ago as it happened, kNever when it would be over (or its time is
    // not known).
    auto markStart = [&](qint64 eventNs, qint64 durationMs) {
        if (!jump) return nowMs;
        if (eventNs <= 0 || eventNs > batch.timeNs) return kNever;
        const qint64 ageMs = (batch.timeNs - eventNs) / 1'000'000;
        return ageMs < durationMs ? nowMs - ageMs : kNever;
    };
    if (batch.timeNs < m_sessionNowNs)
        for (auto& h : m_herds) h.spawnsNs.clear(), h.exitsNs.clear(); // replay went back: rates restart
    m_sessionNowNs = std::max<qint64>(m_sessionNowNs, batch.timeNs);
    // Records of processes only sampled (mailbox) update their numbers; new or updated ones all.
    std::unordered_set<quint64> updated(changes.updated.begin(), changes.updated.end());
    std::unordered_map<quint64, const introspection::ProcessRecord*> spawnedRecords;
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        const auto& r = batch.records[i];
        rememberRecord(r, updated.count(r.pid) > 0);
        // Spawned processes come before those that only changed their counters (a sample: ~1000).
        if (i < batch.countersOnlyFrom) spawnedRecords.emplace(r.pid, &r);
    }
    if (!m_layout) {
        for (const auto& x : changes.exited) m_processes.erase(x.record.pid);
        return {false, false};
    }
    auto activity = [&](int index) -> HerdActivity* {
        const int h = m_live[static_cast<std::size_t>(index)].herd;
        return h >= 0 ? &m_herds[static_cast<std::size_t>(h)] : nullptr;
    };
    const qint64 windowStart = m_sessionNowNs - kRateWindowNs;

    std::unordered_set<quint64> restartedOld, restartedNew;
    for (const auto& r : changes.restarted) {
        restartedOld.insert(r.oldPid);
        restartedNew.insert(r.newPid);
        int j = r.oldPid != 0 ? indexOfPid(r.oldPid) : -1;
        if (j < 0) j = indexOfPid(r.newPid);
        if (j < 0) continue;
        drawn = true;
        NodeLive& l = m_live[static_cast<std::size_t>(j)];
        l.pulseAt = jump ? kNever : nowMs;
        l.exitAt = kNever;
        if (!jump) extendEffects(nowMs + kPulseMs);
        if (isSingle(j) || l.pid != 0) l.pid = r.newPid;
        else m_joined[j].push_back(r.newPid);
        if (r.oldPid != 0 && r.oldPid != r.newPid) m_pidOverride[r.oldPid] = -1;
        m_pidOverride[r.newPid] = j;
        if (const ProcessInfo* info = processInfo(r.newPid)) l.mailbox = std::max<qint64>(isSingle(j) ? 0 : l.mailbox, info->mailbox);
    }
    for (quint64 pid : changes.spawned) {
        if (restartedNew.count(pid)) continue;
        if (const int j = indexOfPid(pid); j >= 0) {
            // Already drawn (the diagram came first): a herd still counts the spawn in its rate.
            if (HerdActivity* h = activity(j); h && !jump) h->spawnsNs.push_back(batch.timeNs);
            drawn = true;
            continue;
        }
        const ProcessInfo* info = processInfo(pid);
        const auto record = spawnedRecords.find(pid);
        if (!info || record == spawnedRecords.end()) continue;
        const int parent = indexOfPid(info->parent);
        if (parent < 0) continue;
        const auto herd = m_layout->herdByParentFamily.find(std::to_string(parent) + "/" + treeFamilyOf(*record->second));
        if (herd == m_layout->herdByParentFamily.end()) continue; // drawn by the next layout, fading in
        drawn = true;
        NodeLive& l = m_live[static_cast<std::size_t>(herd->second)];
        ++l.count;
        l.mailbox = std::max(l.mailbox, info->mailbox);
        m_pidOverride[pid] = herd->second;
        m_joined[herd->second].push_back(pid);
        if (HerdActivity* h = activity(herd->second); h && !jump) { // a jump's spawns have no time
            h->spawnsNs.push_back(batch.timeNs);
            prune(h->spawnsNs, windowStart);
        }
    }
    for (const auto& x : changes.exited) {
        const quint64 pid = x.record.pid;
        if (restartedOld.count(pid)) continue;
        const int j = indexOfPid(pid);
        if (j < 0) continue;
        drawn = true;
        const Node& node = m_layout->nodes[static_cast<std::size_t>(j)];
        const ExitCategory category = exitCategoryOf(x.reason);
        const qint64 whenNs = x.timeNs != 0 ? x.timeNs : batch.timeNs;
        int herdIndex = node.herd ? j : -1;
        if (!node.herd) {
            NodeLive& l = m_live[static_cast<std::size_t>(j)];
            // After a jump the process is gone from the moment shown: its fade is already over.
            l.exitAt = jump ? nowMs - fadeOutMs(category) : nowMs;
            l.exitCategory = category;
            if (!jump) extendEffects(nowMs + fadeOutMs(category));
            m_exiting.push_back(j);
            if (node.origin == TreeLayout::Origin::HerdMember && node.parent >= 0) herdIndex = node.parent;
        }
        if (herdIndex >= 0) {
            NodeLive& h = m_live[static_cast<std::size_t>(herdIndex)];
            h.count = std::max<qint64>(0, h.count - 1);
            if (HerdActivity* a = activity(herdIndex); a && !(jump && x.reason.empty())) { // not a keyframe difference
                a->exitsNs.push_back(whenNs);
                prune(a->exitsNs, windowStart);
                ++a->exits[static_cast<std::size_t>(category)];
            }
            if (node.herd) m_pidOverride[pid] = -1;
        }
    }
    for (const auto& g : changes.gaveUp) {
        const int j = indexOfPid(g.supervisor);
        if (j < 0) continue;
        const qint64 start = markStart(g.timeNs, kGiveUpMs);
        if (start == kNever) continue;
        drawn = true;
        m_live[static_cast<std::size_t>(j)].giveUpAt = start;
        for (int a : ancestorsOf(j)) m_live[static_cast<std::size_t>(a)].escalationAt = start;
        addMark(start + kGiveUpMs);
    }
    std::unordered_set<int> staleHerds;
    for (quint64 pid : changes.countersChanged) {
        const int j = indexOfPid(pid);
        const ProcessInfo* info = processInfo(pid);
        if (j < 0 || !info) continue;
        drawn = true;
        NodeLive& l = m_live[static_cast<std::size_t>(j)];
        if (!m_layout->nodes[static_cast<std::size_t>(j)].herd) l.mailbox = info->mailbox;
        else if (info->mailbox >= l.mailbox) l.mailbox = info->mailbox;
        else staleHerds.insert(j);
    }
    for (const auto& x : changes.exited) m_processes.erase(x.record.pid);
    // A herd's longest mailbox grows at once; when its longest member shrinks, the herd is rescanned
    // at most once a second, and one herd per batch (a herd can hold 100k processes).
    for (int j : staleHerds) {
        const int h = m_live[static_cast<std::size_t>(j)].herd;
        if (h < 0) continue;
        qint64& refreshed = m_herds[static_cast<std::size_t>(h)].mailboxRefreshedMs;
        if (refreshed != kNever && nowMs - refreshed < 1000) continue;
        refreshed = nowMs;
        refreshHerdMailbox(j);
        break;
    }
    // Updated supervisors (their meters) and herds with events in the rate window (rates move).
    for (quint64 pid : changes.updated)
        if (!drawn && indexOfPid(pid) >= 0) drawn = true;
    for (const auto& h : m_herds)
        if (!drawn && ((!h.spawnsNs.empty() && h.spawnsNs.back() >= windowStart) || (!h.exitsNs.empty() && h.exitsNs.back() >= windowStart)))
            drawn = true;
    return {false, drawn || growingChanged};
}

void TreeCanvas::rememberRecord(const introspection::ProcessRecord& r, bool full) {
    auto [it, inserted] = m_processes.try_emplace(r.pid);
    ProcessInfo& info = it->second;
    info.mailbox = r.mailboxLength;
    info.restartsInWindow = r.restartsInWindow;
    info.maxRestarts = r.maxRestarts;
    info.maxSeconds = r.maxSeconds;
    if (!inserted && !full) return;
    info.parent = r.parent;
    info.displayName = r.displayName();
    info.pidText = r.pidText;
}

void TreeCanvas::refreshHerdMailbox(int index) {
    // Linear in the herd's members: callers limit how often (a herd can hold 100k processes).
    qint64 longest = 0;
    auto consider = [&](quint64 pid) {
        if (indexOfPid(pid) != index) return;
        if (const ProcessInfo* info = processInfo(pid)) longest = std::max(longest, info->mailbox);
    };
    const TreeLayout::Node& node = m_layout->nodes[static_cast<std::size_t>(index)];
    if (node.treeIndex >= 0)
        for (quint64 pid : m_layout->tree->nodes()[static_cast<std::size_t>(node.treeIndex)].pids) consider(pid);
    if (auto j = m_joined.find(index); j != m_joined.end())
        for (quint64 pid : j->second) consider(pid);
    m_live[static_cast<std::size_t>(index)].mailbox = longest;
}

QRectF TreeCanvas::currentRect(int index, qint64 nowMs) const {
    const QRectF& target = m_layout->geometry->rects[static_cast<std::size_t>(index)];
    const NodeLive& l = m_live[static_cast<std::size_t>(index)];
    if (!l.tween || !tweening(nowMs)) return target;
    return lerp(l.from, target, easeOut(clamp01(static_cast<double>(nowMs - m_tweenStart) / kTweenMs)));
}

NodeVisual TreeCanvas::visual(int index, qint64 nowMs) const {
    const Node& node = m_layout->nodes[static_cast<std::size_t>(index)];
    const NodeLive& l = m_live[static_cast<std::size_t>(index)];
    NodeVisual v;
    v.rect = currentRect(index, nowMs);
    v.ghost = node.ghost;
    v.herd = node.herd;
    v.count = l.count;
    v.fill = TreePalette::fill(node.kind);
    v.border = TreePalette::border(node.kind);
    v.text = TreePalette::text();
    v.borderWidth = node.kind == TreeLayout::Kind::Worker ? 1.2 : 1.6;
    if (node.ghost) {
        v.fill = TreePalette::background();
        v.border = node.origin == TreeLayout::Origin::DiffRemoved ? TreePalette::diffRemoved() : TreePalette::ghostBorder();
        v.text = TreePalette::mutedText();
        v.opacity = 0.8;
    }
    if (l.appearAt != kNever && nowMs < l.appearAt + kFadeInMs) {
        const double t = clamp01(static_cast<double>(nowMs - l.appearAt) / kFadeInMs);
        v.opacity *= easeOut(t);
        v.border = blend(TreePalette::spawn(), v.border, t);
        v.borderWidth = 2.0;
    }
    if (l.exitAt != kNever && node.ghost) {
        // The slot's process exited and the slot stays (a ghost): the exit colour fades into the ghost.
        const double t = clamp01(static_cast<double>(nowMs - l.exitAt) / static_cast<double>(fadeOutMs(l.exitCategory)));
        if (t < 1.0) {
            v.fill = blend(TreePalette::exitFill(l.exitCategory), v.fill, t);
            v.border = blend(TreePalette::exitColor(l.exitCategory), v.border, t);
            v.borderWidth = 2.0;
        }
    } else if (l.exitAt != kNever) {
        v.exiting = true;
        const double t = clamp01(static_cast<double>(nowMs - l.exitAt) / static_cast<double>(fadeOutMs(l.exitCategory)));
        v.fill = TreePalette::exitFill(l.exitCategory);
        v.border = TreePalette::exitColor(l.exitCategory);
        v.text = TreePalette::mutedText();
        v.borderWidth = 2.0;
        // Hold the exit colour for a moment, then fade; gone at the end.
        v.opacity *= t >= 1.0 ? 0.0 : (t < 0.3 ? 1.0 : 1.0 - smooth((t - 0.3) / 0.7));
    }
    if (l.pulseAt != kNever && nowMs >= l.pulseAt && nowMs < l.pulseAt + kPulseMs) {
        const double t = clamp01(static_cast<double>(nowMs - l.pulseAt) / kPulseMs);
        v.pulseGrow = 3.0 + 18.0 * easeOut(t);
        v.pulseAlpha = 1.0 - t;
        v.border = TreePalette::restart();
        v.borderWidth = 2.5;
    }
    if (l.giveUpAt != kNever && nowMs < l.giveUpAt + kGiveUpMs) {
        v.gaveUp = true;
        v.border = TreePalette::giveUp();
        v.borderWidth = 3.0;
    } else if (l.escalationAt != kNever && nowMs < l.escalationAt + kGiveUpMs) {
        v.escalation = true;
        v.border = TreePalette::giveUp();
        v.borderWidth = 2.2;
    }
    v.heatLevel = node.ghost || v.exiting ? 0 : MailboxHeatScale::level(l.mailbox);
    v.mailboxGrowing = v.heatLevel > 0 && mailboxGrowing(index);
    if (l.match) {
        v.match = true;
        v.fill = TreePalette::match();
    }
    if (index == m_selected) {
        v.selected = true;
        v.border = TreePalette::selection();
        v.borderWidth = 3.0;
    } else if (l.onPath) {
        v.onSelectedPath = true;
        if (!v.gaveUp && !v.escalation) { // an alarm outranks the path to the selection
            v.border = TreePalette::selection();
            v.borderWidth = std::max(v.borderWidth, 2.0);
        }
    }
    if (m_greyed) {
        v.greyed = true;
        v.fill = TreePalette::greyed(v.fill);
        v.border = TreePalette::greyed(v.border);
        v.text = TreePalette::greyed(v.text).darker(160);
        v.heatLevel = 0;
        v.mailboxGrowing = false;
        v.pulseAlpha = 0;
    }
    return v;
}

void TreeCanvas::addMark(qint64 untilMs) {
    m_markEnds.push_back(untilMs);
    m_marksUntil = std::max(m_marksUntil, untilMs);
}

bool TreeCanvas::markEndsIn(qint64 afterMs, qint64 untilMs) const {
    return std::any_of(m_markEnds.begin(), m_markEnds.end(), [&](qint64 end) { return end > afterMs && end <= untilMs; });
}

int TreeCanvas::nodeAt(const QPointF& scenePos, qint64 nowMs) const {
    if (!m_layout) return -1;
    if (!tweening(nowMs)) return m_layout->geometry->grid.at(scenePos);
    for (int i = size() - 1; i >= 0; --i)
        if (currentRect(i, nowMs).contains(scenePos)) return i;
    return -1;
}

bool TreeCanvas::exitedNodesFaded(qint64 nowMs) const {
    for (int i : m_exiting) {
        const NodeLive& l = m_live[static_cast<std::size_t>(i)];
        if (l.exitAt != kNever && nowMs >= l.exitAt + fadeOutMs(l.exitCategory) &&
            m_layout->nodes[static_cast<std::size_t>(i)].origin == TreeLayout::Origin::Exiting)
            return true;
    }
    return false;
}

std::unordered_set<quint64> TreeCanvas::fadedPids(qint64 nowMs) const {
    std::unordered_set<quint64> out;
    for (int i : m_exiting) {
        const NodeLive& l = m_live[static_cast<std::size_t>(i)];
        if (l.exitAt != kNever && nowMs >= l.exitAt + fadeOutMs(l.exitCategory) && l.pid != 0) out.insert(l.pid);
    }
    return out;
}

int TreeCanvas::indexOfKey(const QString& key) const { return m_layout ? m_layout->byKey.value(key, -1) : -1; }

int TreeCanvas::indexOfPid(quint64 pid) const {
    if (!m_layout || pid == 0) return -1;
    if (auto o = m_pidOverride.find(pid); o != m_pidOverride.end()) return o->second;
    auto b = m_layout->byPid.find(pid);
    return b == m_layout->byPid.end() ? -1 : b->second;
}

quint64 TreeCanvas::pidOf(int index) const {
    if (index < 0 || index >= size()) return 0;
    const Node& n = m_layout->nodes[static_cast<std::size_t>(index)];
    return n.herd || n.ghost ? 0 : m_live[static_cast<std::size_t>(index)].pid;
}

QList<quint64> TreeCanvas::pidsOf(int index) const {
    QList<quint64> out;
    if (index < 0 || index >= size()) return out;
    const NodeLive& l = m_live[static_cast<std::size_t>(index)];
    if (l.pid != 0) return {l.pid};
    for (quint64 pid : m_layout->pidsOf(index))
        if (indexOfPid(pid) == index) out.push_back(pid);
    if (auto j = m_joined.find(index); j != m_joined.end())
        for (quint64 pid : j->second)
            if (indexOfPid(pid) == index) out.push_back(pid);
    return out;
}

qint64 TreeCanvas::countOf(int index) const { return index >= 0 && index < size() ? m_live[static_cast<std::size_t>(index)].count : 0; }

double TreeCanvas::spawnRate(int index) const {
    const int h = index >= 0 && index < size() ? m_live[static_cast<std::size_t>(index)].herd : -1;
    if (h < 0) return 0;
    return static_cast<double>(eventsSince(m_herds[static_cast<std::size_t>(h)].spawnsNs, m_sessionNowNs - kRateWindowNs)) /
           (static_cast<double>(kRateWindowNs) / 1e9);
}

double TreeCanvas::exitRate(int index) const {
    const int h = index >= 0 && index < size() ? m_live[static_cast<std::size_t>(index)].herd : -1;
    if (h < 0) return 0;
    return static_cast<double>(eventsSince(m_herds[static_cast<std::size_t>(h)].exitsNs, m_sessionNowNs - kRateWindowNs)) /
           (static_cast<double>(kRateWindowNs) / 1e9);
}

std::array<int, kExitCategories> TreeCanvas::exitMix(int index) const {
    const int h = index >= 0 && index < size() ? m_live[static_cast<std::size_t>(index)].herd : -1;
    return h < 0 ? std::array<int, kExitCategories>{} : m_herds[static_cast<std::size_t>(h)].exits;
}

std::optional<std::array<int, 3>> TreeCanvas::intensityOf(int index) const {
    if (index < 0 || index >= size()) return std::nullopt;
    if (m_layout->nodes[static_cast<std::size_t>(index)].kind == TreeLayout::Kind::Worker) return std::nullopt;
    const ProcessInfo* info = processInfo(pidOf(index));
    if (!info || info->maxRestarts <= 0) return std::nullopt;
    return std::array<int, 3>{info->restartsInWindow, info->maxRestarts, info->maxSeconds};
}

bool TreeCanvas::mailboxGrowing(int index) const {
    if (m_growingDirty) {
        m_growingNodes.clear();
        for (quint64 pid : m_growingPids)
            if (const int j = indexOfPid(pid); j >= 0) m_growingNodes.insert(j);
        m_growingDirty = false;
    }
    return !m_growingNodes.empty() && m_growingNodes.count(index) > 0;
}

qint64 TreeCanvas::mailboxOf(int index) const { return index >= 0 && index < size() ? m_live[static_cast<std::size_t>(index)].mailbox : 0; }

bool TreeCanvas::diffAdded(int index) const { return m_live[static_cast<std::size_t>(index)].diffAdded; }
int TreeCanvas::diffRestarts(int index) const { return m_live[static_cast<std::size_t>(index)].diffRestarts; }
qint64 TreeCanvas::diffMailboxDelta(int index) const { return m_live[static_cast<std::size_t>(index)].diffMailbox; }

const TreeCanvas::ProcessInfo* TreeCanvas::processInfo(quint64 pid) const {
    if (pid == 0) return nullptr;
    auto it = m_processes.find(pid);
    return it == m_processes.end() ? nullptr : &it->second;
}

QHash<quint64, QString> TreeCanvas::memberTitles(const QSet<QString>& herdKeys) const {
    QHash<quint64, QString> out;
    for (const QString& key : herdKeys) {
        const int index = indexOfKey(key);
        if (index < 0) continue;
        for (quint64 pid : m_layout->pidsOf(index))
            if (const ProcessInfo* info = processInfo(pid)) out.insert(pid, TreeLabel::fromTitle(info->displayName));
    }
    return out;
}

std::vector<int> TreeCanvas::ancestorsOf(int index) const {
    std::vector<int> out;
    if (!m_layout || index < 0 || index >= size()) return out;
    for (int p = m_layout->nodes[static_cast<std::size_t>(index)].parent; p >= 0; p = m_layout->nodes[static_cast<std::size_t>(p)].parent)
        out.push_back(p);
    return out;
}

void TreeCanvas::setSelected(int index) {
    m_selected = index >= 0 && index < size() ? index : -1;
    m_selectedKey = m_selected >= 0 ? m_layout->nodes[static_cast<std::size_t>(m_selected)].key : QString();
    m_selectedPid = m_selected >= 0 ? pidOf(m_selected) : 0;
    markPath();
}

bool TreeCanvas::onSelectedPath(int index) const { return m_live[static_cast<std::size_t>(index)].onPath; }

void TreeCanvas::markPath() {
    for (auto& l : m_live) l.onPath = false;
    for (int a : ancestorsOf(m_selected)) m_live[static_cast<std::size_t>(a)].onPath = true;
}

void TreeCanvas::setMatches(const std::vector<int>& indices) {
    for (const QString& key : std::as_const(m_matchKeys))
        if (int i = indexOfKey(key); i >= 0) m_live[static_cast<std::size_t>(i)].match = false;
    m_matchKeys.clear();
    for (int i : indices) {
        if (i < 0 || i >= size()) continue;
        m_live[static_cast<std::size_t>(i)].match = true;
        m_matchKeys.insert(m_layout->nodes[static_cast<std::size_t>(i)].key);
    }
}

void TreeCanvas::setDiffOverlay(std::optional<TreeDiffOverlay> overlay) {
    m_diff = std::move(overlay);
    recomputeDiffMarks();
}

void TreeCanvas::recomputeDiffMarks() {
    for (auto& l : m_live) {
        l.diffAdded = false;
        l.diffRestarts = 0;
        l.diffMailbox = 0;
    }
    if (!m_diff || !m_layout) return;
    for (quint64 pid : std::as_const(m_diff->added))
        if (int i = indexOfPid(pid); i >= 0) m_live[static_cast<std::size_t>(i)].diffAdded = true;
    for (auto it = m_diff->restarted.cbegin(); it != m_diff->restarted.cend(); ++it)
        if (int i = indexOfPid(it.key()); i >= 0) m_live[static_cast<std::size_t>(i)].diffRestarts += it.value();
    for (auto it = m_diff->mailboxDelta.cbegin(); it != m_diff->mailboxDelta.cend(); ++it)
        if (int i = indexOfPid(it.key()); i >= 0) m_live[static_cast<std::size_t>(i)].diffMailbox += it.value();
}

} // namespace canopy::views
