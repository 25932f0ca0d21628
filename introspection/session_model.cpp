#include "introspection/session_model.h"
#include "introspection/pid_text.h"
#include "introspection/saturating.h"
#include <algorithm>
#include <numeric>

namespace canopy::introspection {

namespace {

/// floor(ns / 1e9), also for negative clock values (the runtime's intensity stamps are whole seconds).
std::int64_t floorSeconds(std::int64_t ns) {
    constexpr std::int64_t s = 1'000'000'000;
    return ns >= 0 ? ns / s : -((-(ns + 1)) / s) - 1;
}

/// A keyframe merge with more structural changes than this rebuilds the child index in one pass.
constexpr std::size_t kIncrementalIndexLimit = 256;

/// Calls f(p) for each p of `of` that is not in `in`, in `of`'s order. A supervisor is linked to
/// every child: for long lists `in` is searched sorted, so a resync of a 100k-child supervisor
/// whose links changed costs n log n, not n² (~10^10 compares).
template <class F>
void forEachMissing(const std::vector<std::uint64_t>& of, const std::vector<std::uint64_t>& in, F&& f) {
    constexpr std::size_t kLinearSearch = 32;
    if (in.size() <= kLinearSearch) {
        for (std::uint64_t p : of)
            if (std::find(in.begin(), in.end(), p) == in.end()) f(p);
        return;
    }
    std::vector<std::uint64_t> sorted(in);
    std::sort(sorted.begin(), sorted.end());
    for (std::uint64_t p : of)
        if (!std::binary_search(sorted.begin(), sorted.end(), p)) f(p);
}

/// Pushes the link and monitor differences between an old and a new record of the same pid.
void diffEdges(const ProcessRecord& before, const ProcessRecord& after, ChangeSet& c) {
    if (before.links != after.links) {
        forEachMissing(after.links, before.links, [&](std::uint64_t p) {
            if (after.pid < p) c.linked.push_back({after.pid, p});
        });
        forEachMissing(before.links, after.links, [&](std::uint64_t p) {
            if (after.pid < p) c.unlinked.push_back({after.pid, p});
        });
    }
    if (before.monitors != after.monitors) {
        forEachMissing(after.monitors, before.monitors, [&](std::uint64_t p) { c.monitored.push_back({after.pid, p}); });
        forEachMissing(before.monitors, after.monitors, [&](std::uint64_t p) { c.demonitored.push_back({after.pid, p}); });
    }
}

/// Reports how one process changed between two trees (nothing when equal).
void diffRecord(const ProcessRecord& before, const ProcessRecord& after, ChangeSet& c) {
    if (before.mailboxLength != after.mailboxLength || before.messagesHandled != after.messagesHandled)
        c.countersChanged.push_back(after.pid);
    if (before.sameExceptCounters(after)) return;
    c.updated.push_back(after.pid);
    if (before.name != after.name) c.renamed.push_back({after.pid, before.name, after.name});
    diffEdges(before, after, c);
}

/// Matches the exits and spawns of one change set by child slot: the same slot with a new pid is a
/// restart (the slot keeps its place; viewers move the node instead of flashing it).
void pairRestarts(ChangeSet& c, const std::map<std::uint64_t, ProcessRecord>& now, std::size_t exitedFrom,
                  std::size_t spawnedFrom) {
    if (c.exited.size() == exitedFrom || c.spawned.size() == spawnedFrom) return;
    std::map<std::pair<std::uint64_t, std::string_view>, std::uint64_t> gone;
    for (std::size_t i = exitedFrom; i < c.exited.size(); ++i) {
        const ProcessRecord& r = c.exited[i].record;
        if (r.parent != 0 && !r.childId.empty()) gone.emplace(std::pair{r.parent, std::string_view(r.childId)}, r.pid);
    }
    if (gone.empty()) return;
    for (std::size_t i = spawnedFrom; i < c.spawned.size(); ++i) {
        auto it = now.find(c.spawned[i]);
        if (it == now.end() || it->second.childId.empty()) continue;
        const ProcessRecord& r = it->second;
        auto g = gone.find({r.parent, std::string_view(r.childId)});
        if (g == gone.end()) continue;
        c.restarted.push_back({r.parent, r.childId, g->second, r.pid, r.lastExitReason, c.timeNs});
        gone.erase(g);
    }
}

/// Totals before a change, to tell whether they moved.
struct Totals {
    std::size_t count;
    std::int64_t mailbox;
    double rate;
    static Totals of(const TreeSnapshot& s) { return {s.processes.size(), s.totalMailbox, s.messageRate}; }
    bool operator==(const Totals&) const = default;
};

} // namespace

// ---- slots --------------------------------------------------------------------------------------

SessionModel::Slot* SessionModel::slotOf(std::uint64_t supervisor, std::string_view childId) {
    auto sup = m_slots.find(supervisor);
    if (sup == m_slots.end()) return nullptr;
    return sup->second.find(childId, childIdHash(childId));
}

SessionModel::Slot& SessionModel::slotFor(std::uint64_t supervisor, std::string_view childId) {
    return slotIn(m_slots[supervisor], childId);
}

SessionModel::Slot& SessionModel::slotIn(SupervisorSlots& slots, std::string_view childId) {
    return slots.findOrAdd(childId, childIdHash(childId));
}

void SessionModel::normalize(ProcessRecord& r) {
    if (r.pidText.empty()) assignPidText(r.pidText, r.pid);
    if (r.startOrder == 0) r.startOrder = m_nextOrder++;
    normalizeSlot(r);
}

void SessionModel::normalizeSlot(ProcessRecord& r) {
    if (r.parent != 0 && !r.childId.empty()) normalizeSlotIn(m_slots[r.parent], r);
}

bool SessionModel::normalizeSlotIn(SupervisorSlots& slots, ProcessRecord& r) {
    Slot& s = slotIn(slots, r.childId);
    // The slot keeps the place of its first process: a restarted child stays among its siblings.
    if (s.order == 0) s.order = r.startOrder;
    // Written only when it changes: a keyframe load builds the child index on another thread
    // meanwhile, from the start orders as they are.
    const bool moved = r.startOrder != s.order;
    if (moved) r.startOrder = s.order;
    s.restarts = std::max(s.restarts, r.restartCount);
    r.restartCount = s.restarts;
    if (r.lastExitReason.empty()) r.lastExitReason = s.lastExit;
    if (r.pid != 0) s.pid = r.pid;
    return moved;
}

void SessionModel::noteStamps(ProcessRecord& r) {
    if (r.kind == "worker") return;
    const std::int64_t nowS = floorSeconds(m_lastTimeNs);
    auto& st = r.restartStamps;
    // Older probes send only the count: stand in for the unknown times with the newest possible one
    // (the count then ages out no later than the truth).
    if (r.restartsInWindow > 0 && st.size() < std::size_t(r.restartsInWindow))
        st.insert(st.begin(), std::size_t(r.restartsInWindow) - st.size(), nowS);
    if (st.empty()) return;
    // Counted as of now: the runtime's count is as of its last restart.
    const std::int64_t oldest = nowS - std::max(0, r.maxSeconds);
    st.erase(st.begin(), std::find_if(st.begin(), st.end(), [&](std::int64_t x) { return x >= oldest; }));
    r.restartsInWindow = int(std::count_if(st.begin(), st.end(), [&](std::int64_t x) { return x <= nowS; }));
    if (!st.empty()) m_stamped.insert(r.pid);
}

void SessionModel::addGhost(const ProcessRecord& r, const std::string& reason, ChangeSet* c) {
    auto sup = m_snapshot.processes.find(r.parent);
    if (sup == m_snapshot.processes.end() || sup->second.kind != "supervisor") return; // dynamic: no slots
    if (r.childId.empty() || r.restart == "temporary") return; // OTP forgets temporary children
    ProcessRecord g;
    g.pid = 0;
    g.parent = r.parent;
    g.childId = r.childId;
    g.name = r.name;
    g.kind = r.kind;
    g.strategy = r.strategy;
    g.restart = r.restart;
    g.shutdown = r.shutdown;
    g.significant = r.significant;
    g.initialCall = r.initialCall;
    g.maxRestarts = r.maxRestarts;
    g.maxSeconds = r.maxSeconds;
    g.status = "undefined";
    g.restartCount = r.restartCount;
    g.lastExitReason = reason.empty() ? r.lastExitReason : reason;
    g.startOrder = r.startOrder;
    auto& list = m_snapshot.ghosts[r.parent];
    auto same = std::find_if(list.begin(), list.end(), [&](const ProcessRecord& x) { return x.childId == g.childId; });
    if (same != list.end()) list.erase(same);
    auto at = std::upper_bound(list.begin(), list.end(), g.startOrder,
                               [](std::uint64_t o, const ProcessRecord& x) { return o < x.startOrder; });
    list.insert(at, std::move(g));
    if (c) c->slotsChanged.push_back(r.parent);
}

void SessionModel::removeGhost(std::uint64_t supervisor, std::string_view childId, ChangeSet* c) {
    auto it = m_snapshot.ghosts.find(supervisor);
    if (it == m_snapshot.ghosts.end()) return;
    auto& list = it->second;
    auto g = std::find_if(list.begin(), list.end(), [&](const ProcessRecord& x) { return x.childId == childId; });
    if (g == list.end()) return;
    list.erase(g);
    if (list.empty()) m_snapshot.ghosts.erase(it);
    if (c) c->slotsChanged.push_back(supervisor);
}

void SessionModel::setGhosts(std::vector<ProcessRecord>&& ghosts, ChangeSet* c) {
    std::map<std::uint64_t, std::vector<ProcessRecord>> next;
    for (auto& g : ghosts) {
        if (g.parent == 0 || g.childId.empty()) continue;
        g.pid = 0;
        g.pidText.clear(); // as a ghost made by an exit has (the decoder prints pid 0)
        if (g.status.empty() || g.status == "waiting") g.status = "undefined";
        Slot& s = slotFor(g.parent, g.childId);
        if (s.order == 0) s.order = g.startOrder ? g.startOrder : m_nextOrder++;
        g.startOrder = s.order;
        m_nextOrder = std::max(m_nextOrder, g.startOrder + 1);
        s.restarts = std::max(s.restarts, g.restartCount);
        g.restartCount = s.restarts;
        if (g.lastExitReason.empty()) g.lastExitReason = s.lastExit;
        next[g.parent].push_back(std::move(g));
    }
    for (auto& [sup, list] : next)
        std::stable_sort(list.begin(), list.end(),
                         [](const ProcessRecord& a, const ProcessRecord& b) { return a.startOrder < b.startOrder; });
    if (c) {
        auto a = m_snapshot.ghosts.begin();
        auto b = next.begin();
        while (a != m_snapshot.ghosts.end() || b != next.end()) {
            if (b == next.end() || (a != m_snapshot.ghosts.end() && a->first < b->first)) {
                c->slotsChanged.push_back(a->first);
                ++a;
            } else if (a == m_snapshot.ghosts.end() || b->first < a->first) {
                c->slotsChanged.push_back(b->first);
                ++b;
            } else {
                if (a->second != b->second) c->slotsChanged.push_back(a->first);
                ++a;
                ++b;
            }
        }
    }
    m_snapshot.ghosts = std::move(next);
}

// ---- tree edits (the index follows every one) ---------------------------------------------------

ProcessRecord& SessionModel::insertProcess(ProcessRecord&& r) {
    auto& procs = m_snapshot.processes;
    m_nextOrder = std::max(m_nextOrder, r.startOrder + 1);
    m_snapshot.totalMailbox += r.mailboxLength;
    auto [it, inserted] = procs.emplace(r.pid, std::move(r));
    m_snapshot.liveIndex().added(it->second, procs);
    m_snapshot.indexSynced();
    return it->second;
}

void SessionModel::eraseProcess(std::map<std::uint64_t, ProcessRecord>::iterator it, const std::string& reason,
                                std::int64_t timeNs, ChangeSet* c) {
    auto& procs = m_snapshot.processes;
    const std::uint64_t pid = it->first, parent = it->second.parent, order = it->second.startOrder;
    m_snapshot.totalMailbox -= it->second.mailboxLength;
    if (it->second.kind != "worker") {
        m_snapshot.ghosts.erase(pid);
        m_stamped.erase(pid);
    }
    if (c) c->exited.push_back({std::move(it->second), reason, timeNs});
    procs.erase(it);
    m_snapshot.liveIndex().removed(pid, parent, order, procs);
    m_snapshot.indexSynced();
}

void SessionModel::reposition(ProcessRecord& r, std::uint64_t parent, std::uint64_t order) {
    if (r.parent == parent && r.startOrder == order) return;
    auto& procs = m_snapshot.processes;
    m_snapshot.liveIndex().detach(r.pid, r.parent, r.startOrder, procs);
    r.parent = parent;
    r.startOrder = order;
    m_snapshot.liveIndex().attach(r, procs);
    m_nextOrder = std::max(m_nextOrder, order + 1);
}

bool SessionModel::mergeRecord(ProcessRecord& into, const ProcessRecord& from) {
    ProcessRecord merged = from;
    merged.pid = into.pid;
    if (merged.parent == 0) merged.parent = into.parent;
    if (merged.childId.empty()) merged.childId = into.childId;
    merged.startOrder = from.startOrder ? from.startOrder : into.startOrder;
    merged.restartCount = std::max(into.restartCount, from.restartCount);
    if (merged.lastExitReason.empty()) merged.lastExitReason = into.lastExitReason;
    if (merged.restartStamps.empty()) merged.restartStamps = into.restartStamps;
    normalize(merged);
    if (merged == into) return false;
    m_snapshot.totalMailbox += merged.mailboxLength - into.mailboxLength;
    reposition(into, merged.parent, merged.startOrder);
    into = std::move(merged);
    return true;
}

// ---- time ---------------------------------------------------------------------------------------

void SessionModel::ageWindows(ChangeSet* c) {
    const std::int64_t nowS = floorSeconds(m_lastTimeNs);
    if (nowS == m_agedAtSecond || m_stamped.empty()) {
        m_agedAtSecond = nowS;
        return;
    }
    m_agedAtSecond = nowS;
    for (auto it = m_stamped.begin(); it != m_stamped.end();) {
        auto p = m_snapshot.processes.find(*it);
        if (p == m_snapshot.processes.end()) {
            it = m_stamped.erase(it);
            continue;
        }
        ProcessRecord& r = p->second;
        auto& st = r.restartStamps;
        const std::int64_t oldest = nowS - std::max(0, r.maxSeconds);
        st.erase(st.begin(), std::find_if(st.begin(), st.end(), [&](std::int64_t s) { return s >= oldest; }));
        const int n = int(std::count_if(st.begin(), st.end(), [&](std::int64_t s) { return s <= nowS; }));
        if (r.restartsInWindow != n) {
            r.restartsInWindow = n;
            if (c) c->updated.push_back(r.pid);
        }
        it = st.empty() ? m_stamped.erase(it) : std::next(it);
    }
}

void SessionModel::touch(std::int64_t timeNs, ChangeSet* c) {
    if (timeNs > m_lastTimeNs || m_lastTimeNs == 0) m_lastTimeNs = timeNs;
    m_snapshot.timeNs = saturating::sub(m_lastTimeNs, m_startNs);
    ageWindows(c);
}

void SessionModel::advanceTime(std::int64_t sessionTimeNs, ChangeSet* changes) {
    if (!m_hasBase) return;
    const std::int64_t t = saturating::add(m_startNs, sessionTimeNs);
    if (t <= m_lastTimeNs) return;
    touch(t, changes);
    finish(changes);
}

void SessionModel::finish(ChangeSet* c) const {
    if (!c) return;
    c->timeNs = m_snapshot.timeNs;
    c->seq = m_snapshot.seq;
}

// ---- messages -----------------------------------------------------------------------------------

void SessionModel::assumeEmpty() {
    m_snapshot = TreeSnapshot{};
    m_snapshot.liveIndex().clear();
    m_snapshot.indexSynced();
    m_stamped.clear();
    m_hasBase = true;
    m_needKeyframe = false;
    m_acceptAnySeq = true;
}

void SessionModel::applyKeyframe(const Keyframe& keyframe, ChangeSet* changes) {
    applyKeyframe(Keyframe(keyframe), changes);
}

void SessionModel::applyKeyframe(Keyframe&& keyframe, ChangeSet* changes) {
    if (!m_hasBase) {
        KeyframeLoader loader(*this);
        for (auto& r : keyframe.processes) loader.add(std::move(r));
        loader.finish(std::move(keyframe), changes);
        return;
    }
    const Totals before = Totals::of(m_snapshot);
    applySlotStats(keyframe.childSlots);
    m_lastTimeNs = keyframe.timeNs;
    keyframeMerge(std::move(keyframe), changes);
    keyframeApplied(keyframe.timeNs, !(before == Totals::of(m_snapshot)), changes);
}

void SessionModel::applySlotStats(std::vector<ChildSlotStats>& stats) {
    for (auto& stat : stats) {
        Slot& s = slotFor(stat.supervisor, stat.childId);
        s.restarts = std::max(s.restarts, stat.restarts);
        if (!stat.lastExit.empty()) s.lastExit = std::move(stat.lastExit);
    }
}

void SessionModel::keyframeApplied(std::int64_t timeNs, bool totalsMoved, ChangeSet* changes) {
    m_hasBase = true;
    m_needKeyframe = false;
    m_acceptAnySeq = false;
    m_agedAtSecond = INT64_MIN;
    m_lastTimeNs = 0;
    touch(timeNs, changes);
    if (changes && totalsMoved) changes->totalsChanged = true;
    finish(changes);
}

// ---- a keyframe into an empty model, record by record ---------------------------------------------

SessionModel::KeyframeLoader::KeyframeLoader(SessionModel& model)
    : m_model(model), m_hint(model.m_snapshot.processes.end()), m_countBefore(model.m_snapshot.processes.size()),
      m_mailboxBefore(model.m_snapshot.totalMailbox), m_rateBefore(model.m_snapshot.messageRate) {
    m_model.m_snapshot.processes.clear();
    m_model.m_stamped.clear();
    m_hint = m_model.m_snapshot.processes.end();
}

ProcessRecord& SessionModel::KeyframeLoader::element() {
    // A node of the model's own map type, made in a one-node spare map and taken out of it: the
    // decoder fills the record in place, commit() links the node into the tree.
    if (m_node.empty()) m_node = m_spare.extract(m_spare.try_emplace(0).first);
    return m_node.mapped();
}

SessionModel::KeyframeLoader::Map::iterator SessionModel::KeyframeLoader::after(Map::iterator it) const {
    // Records come in pid order: the one just inserted is the last, and std::next of the last node
    // climbs the whole height of the tree to reach end().
    auto& procs = m_model.m_snapshot.processes;
    return it == std::prev(procs.end()) ? procs.end() : std::next(it);
}

bool SessionModel::KeyframeLoader::prepare(ProcessRecord& r) {
    if (r.pid == 0) return false;
    SessionModel& m = m_model;
    m.m_nextOrder = std::max(m.m_nextOrder, r.startOrder + 1);
    if (r.pidText.empty()) assignPidText(r.pidText, r.pid);
    if (r.startOrder == 0) r.startOrder = m.m_nextOrder++;
    m_total += r.mailboxLength;
    if (r.parent != 0 && !r.childId.empty()) {
        ++m_childCounts.get(r.parent, [this](std::uint64_t sup) -> std::size_t& { return m_children[sup]; });
    }
    return true;
}

void SessionModel::KeyframeLoader::commit(ProcessRecord&) {
    link(m_node);
    if (!m_node.empty()) m_node.mapped() = ProcessRecord{}; // not linked: the node is reused for the next record
}

void SessionModel::KeyframeLoader::link(Map::node_type& node) {
    ProcessRecord& r = node.mapped();
    if (!prepare(r)) return; // bad input (no pid)
    auto& procs = m_model.m_snapshot.processes;
    node.key() = r.pid;
    auto it = procs.insert(m_hint, std::move(node));
    if (node.empty()) m_hint = after(it); // else a duplicate pid: the first one stays
}

void SessionModel::KeyframeLoader::setSplit(KeyframeSplit* split) {
    m_split = split;
    if (split)
        split->setTarget(this, [](void* loader, KeyframeSplit::Node&& node) {
            static_cast<KeyframeLoader*>(loader)->link(node);
        });
}

void SessionModel::KeyframeLoader::add(ProcessRecord&& r) {
    if (!prepare(r)) return;
    const std::uint64_t pid = r.pid;
    m_hint = after(m_model.m_snapshot.processes.emplace_hint(m_hint, pid, std::move(r)));
}

void SessionModel::KeyframeLoader::finish(Keyframe&& rest, ChangeSet* changes) {
    SessionModel& m = m_model;
    auto& procs = m.m_snapshot.processes;
    m.m_snapshot.seq = rest.seq;
    m.m_lastTimeNs = rest.timeNs;
    // Each supervisor's slot table sized once: growing 100 tables by rehashing walks their nodes,
    // scattered among the records, again and again.
    for (const auto& [sup, n] : m_children) {
        SupervisorSlots& slots = m.m_slots[sup];
        slots.reserve(slots.size() + n);
    }
    // The slot history first (it comes after the records on the wire), then each record's slot.
    m.applySlotStats(rest.childSlots);
    // The child index is built by the side thread (when there is one) meanwhile, from the records
    // as they are: the slot pass below moves a record's start order only when two records share a
    // slot, and then the index is built again here.
    TreeIndex sideIndex;
    struct Guard { // unwinding: the side thread must be out of sideIndex before it goes
        KeyframeSplit* split;
        ~Guard() {
            if (split) split->abandon();
        }
    } guard{m_split && m_split->post([&sideIndex, &procs] { sideIndex.build(procs); }) ? m_split : nullptr};
    bool ordersMoved = false;
    // Each record's supervisor's table through a small cache: after restarts, records in pid order
    // interleave their supervisors.
    SupervisorCache<SupervisorSlots> tables;
    auto tableOf = [&m](std::uint64_t sup) -> SupervisorSlots& { return m.m_slots[sup]; };
    for (auto& [pid, r] : procs) {
        if (r.parent != 0 && !r.childId.empty()) ordersMoved |= normalizeSlotIn(tables.get(r.parent, tableOf), r);
        m.noteStamps(r);
    }
    m.m_snapshot.totalMailbox = m_total;
    bool indexed = false;
    if (KeyframeSplit* split = std::exchange(guard.split, nullptr)) indexed = split->await() && !ordersMoved;
    if (indexed) m.m_snapshot.liveIndex() = std::move(sideIndex);
    else m.m_snapshot.liveIndex().build(procs);
    m.m_snapshot.indexSynced();
    m.setGhosts(std::move(rest.ghosts), nullptr);
    if (changes) {
        // A reset: views rebuild from the model; the lists stay empty.
        ChangeSet fresh;
        fresh.reset = true;
        *changes = std::move(fresh);
    }
    const bool totalsMoved = procs.size() != m_countBefore || m_total != m_mailboxBefore ||
                             m.m_snapshot.messageRate != m_rateBefore;
    m.keyframeApplied(rest.timeNs, totalsMoved, changes);
}

void SessionModel::keyframeMerge(Keyframe&& keyframe, ChangeSet* c) {
    auto& procs = m_snapshot.processes;
    auto& incoming = keyframe.processes;
    m_snapshot.seq = keyframe.seq;
    for (const auto& r : incoming) m_nextOrder = std::max(m_nextOrder, r.startOrder + 1);
    std::vector<std::uint32_t> order(incoming.size());
    std::iota(order.begin(), order.end(), 0u);
    auto byPid = [&](std::uint32_t a, std::uint32_t b) { return incoming[a].pid < incoming[b].pid; };
    if (!std::is_sorted(order.begin(), order.end(), byPid)) std::stable_sort(order.begin(), order.end(), byPid);

    const std::size_t exitedFrom = c ? c->exited.size() : 0, spawnedFrom = c ? c->spawned.size() : 0;
    struct Gone {
        std::uint64_t pid, parent, order;
    };
    struct Moved {
        std::uint64_t pid, parent, order;
    };
    std::vector<Gone> gone;
    std::vector<std::uint64_t> added;
    std::vector<Moved> moved;
    const std::int64_t t = saturating::sub(keyframe.timeNs, m_startNs);
    auto erase = [&](std::map<std::uint64_t, ProcessRecord>::iterator it) {
        gone.push_back({it->first, it->second.parent, it->second.startOrder});
        m_snapshot.totalMailbox -= it->second.mailboxLength;
        if (it->second.kind != "worker") m_stamped.erase(it->first);
        if (it->second.parent != 0 && !it->second.childId.empty())
            if (Slot* s = slotOf(it->second.parent, it->second.childId); s && s->pid == it->first) {
                s->pid = 0;
                s->lastPid = it->first;
            }
        if (c) c->exited.push_back({std::move(it->second), std::string(), t});
        return procs.erase(it);
    };

    auto it = procs.begin();
    std::uint64_t previous = 0;
    bool first = true;
    for (std::uint32_t i : order) {
        ProcessRecord& r = incoming[i];
        if (r.pid == 0 || (!first && r.pid == previous)) continue; // bad input: no pid, or a duplicate
        first = false;
        previous = r.pid;
        while (it != procs.end() && it->first < r.pid) it = erase(it);
        const bool known = it != procs.end() && it->first == r.pid;
        if (known && r.startOrder == 0) r.startOrder = it->second.startOrder;
        normalize(r);
        noteStamps(r);
        if (known) {
            ProcessRecord& old = it->second;
            if (!(old == r)) {
                if (c) diffRecord(old, r, *c);
                if (old.parent != r.parent || old.startOrder != r.startOrder)
                    moved.push_back({r.pid, old.parent, old.startOrder});
                m_snapshot.totalMailbox += r.mailboxLength - old.mailboxLength;
                old = std::move(r);
            }
            ++it;
        } else {
            m_snapshot.totalMailbox += r.mailboxLength;
            const std::uint64_t pid = r.pid;
            it = std::next(procs.emplace_hint(it, pid, std::move(r)));
            added.push_back(pid);
            if (c) c->spawned.push_back(pid);
        }
    }
    while (it != procs.end()) it = erase(it);

    TreeIndex& index = m_snapshot.liveIndex();
    if (gone.size() + added.size() + moved.size() > kIncrementalIndexLimit) {
        index.build(procs);
    } else {
        for (const auto& g : gone) index.removed(g.pid, g.parent, g.order, procs);
        for (const auto& m : moved) {
            const ProcessRecord& r = procs.at(m.pid);
            index.detach(m.pid, m.parent, m.order, procs);
            index.attach(r, procs);
        }
        for (std::uint64_t pid : added) index.added(procs.at(pid), procs);
    }
    m_snapshot.indexSynced();
    setGhosts(std::move(keyframe.ghosts), c);
    if (c) {
        c->timeNs = t;
        pairRestarts(*c, procs, exitedFrom, spawnedFrom);
    }
}

SessionModel::Apply SessionModel::applyDelta(const Delta& d, ChangeSet* c) {
    if (!m_hasBase || m_needKeyframe) return Apply::NeedKeyframe;
    if (m_acceptAnySeq) {
        m_acceptAnySeq = false;
    } else if (d.seq <= m_snapshot.seq) {
        return Apply::Stale;
    } else if (d.seq != m_snapshot.seq + 1) {
        m_needKeyframe = true;
        ++m_gaps;
        return Apply::Gap;
    }
    const Totals before = Totals::of(m_snapshot);
    m_snapshot.seq = d.seq;
    ++m_deltasApplied;
    touch(d.timeNs, c);
    // The event's own time (the model's clock may be ahead: a live session moves it to "now").
    const std::int64_t t = saturating::sub(d.timeNs, m_startNs);
    auto& procs = m_snapshot.processes;
    auto updated = [&](std::uint64_t pid) {
        if (c) c->updated.push_back(pid);
    };
    switch (d.type) {
    case DeltaType::Spawn: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) {
            ProcessRecord r = d.process ? *d.process : ProcessRecord{};
            r.pid = d.pid;
            if (r.parent == 0) r.parent = d.peer;
            if (r.initialCall.empty()) r.initialCall = d.text;
            normalize(r);
            noteStamps(r);
            ProcessRecord& in = insertProcess(std::move(r));
            if (c) c->spawned.push_back(d.pid);
            if (!in.childId.empty()) removeGhost(in.parent, in.childId, c);
        } else if (d.process) {
            ProcessRecord from = *d.process;
            if (from.parent == 0) from.parent = d.peer ? d.peer : it->second.parent;
            if (from.initialCall.empty()) from.initialCall = d.text;
            if (mergeRecord(it->second, from)) updated(d.pid);
        }
        break;
    }
    case DeltaType::Exit: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        ProcessRecord& r = it->second;
        if (r.parent != 0 && !r.childId.empty()) {
            Slot& s = slotFor(r.parent, r.childId);
            s.lastExit = d.reason;
            s.lastPid = d.pid;
            if (s.pid == d.pid) s.pid = 0;
            addGhost(r, d.reason, c);
        }
        for (std::uint64_t peer : r.links) {
            if (peer == d.pid) continue;
            auto p = procs.find(peer);
            if (p == procs.end()) continue;
            auto& v = p->second.links;
            v.erase(std::remove(v.begin(), v.end(), d.pid), v.end());
        }
        eraseProcess(it, d.reason, t, c);
        break;
    }
    case DeltaType::Link:
    case DeltaType::Unlink: {
        bool changed = false;
        for (auto [a, b] : {std::pair{d.pid, d.peer}, std::pair{d.peer, d.pid}}) {
            auto it = procs.find(a);
            if (it == procs.end()) continue;
            auto& v = it->second.links;
            const bool has = std::find(v.begin(), v.end(), b) != v.end();
            if (d.type == DeltaType::Link && !has) {
                v.push_back(b);
                changed = true;
            }
            if (d.type == DeltaType::Unlink && has) {
                v.erase(std::remove(v.begin(), v.end(), b), v.end());
                changed = true;
            }
        }
        if (changed && c) (d.type == DeltaType::Link ? c->linked : c->unlinked).push_back({d.pid, d.peer});
        break;
    }
    case DeltaType::Monitor:
    case DeltaType::Demonitor: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        auto& v = it->second.monitors;
        const bool has = std::find(v.begin(), v.end(), d.peer) != v.end();
        if (d.type == DeltaType::Monitor && !has) {
            v.push_back(d.peer);
            if (c) c->monitored.push_back({d.pid, d.peer});
        }
        if (d.type == DeltaType::Demonitor && has) {
            v.erase(std::remove(v.begin(), v.end(), d.peer), v.end());
            if (c) c->demonitored.push_back({d.pid, d.peer});
        }
        break;
    }
    case DeltaType::NameRegistered:
    case DeltaType::NameUnregistered: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        std::string& name = it->second.name;
        const std::string next = d.type == DeltaType::NameRegistered ? d.text : (name == d.text ? std::string() : name);
        if (next != name) {
            if (c) c->renamed.push_back({d.pid, name, next});
            name = next;
        }
        break;
    }
    case DeltaType::ChildStarted:
    case DeltaType::ChildRestarted: {
        const bool restart = d.type == DeltaType::ChildRestarted;
        auto it = procs.find(d.pid);
        ProcessRecord r = d.process ? *d.process : (it != procs.end() ? it->second : ProcessRecord{});
        r.pid = d.pid;
        if (d.peer) r.parent = d.peer;
        else if (r.parent == 0 && it != procs.end()) r.parent = it->second.parent;
        if (!d.text.empty()) r.childId = d.text;
        else if (r.childId.empty() && it != procs.end()) r.childId = it->second.childId;
        std::uint64_t oldPid = 0;
        std::string reason;
        if (restart && r.parent != 0) {
            Slot& s = slotFor(r.parent, r.childId);
            ++s.restarts;
            oldPid = s.lastPid != d.pid ? s.lastPid : 0;
            reason = s.lastExit;
        }
        if (it == procs.end()) {
            normalize(r);
            noteStamps(r);
            insertProcess(std::move(r));
            if (c) c->spawned.push_back(d.pid);
        } else if (mergeRecord(it->second, r)) {
            updated(d.pid);
        }
        const ProcessRecord& now = procs.at(d.pid);
        if (!now.childId.empty()) removeGhost(now.parent, now.childId, c);
        if (!restart) break;
        if (c) c->restarted.push_back({now.parent, now.childId, oldPid, d.pid, reason, t});
        auto sup = procs.find(now.parent);
        if (sup == procs.end()) break;
        ProcessRecord& s = sup->second;
        bool changed = false;
        auto set = [&](auto& field, const auto& value) {
            if (field == value) return;
            field = value;
            changed = true;
        };
        if (d.maxRestarts) set(s.maxRestarts, d.maxRestarts);
        if (d.maxSeconds) set(s.maxSeconds, d.maxSeconds);
        if (!d.strategy.empty()) set(s.strategy, d.strategy);
        if (d.restartsInWindow > 0) {
            // The runtime's ring after this restart holds restartsInWindow stamps; a group restart
            // (one_for_all, rest_for_one) reports each child with the same count and adds one stamp.
            auto& st = s.restartStamps;
            const std::size_t before = st.size();
            const std::int64_t back = st.empty() ? INT64_MIN : st.back();
            const std::int64_t nowS = floorSeconds(d.timeNs);
            const std::int64_t oldest = nowS - std::max(0, s.maxSeconds);
            st.erase(st.begin(), std::find_if(st.begin(), st.end(), [&](std::int64_t x) { return x >= oldest; }));
            const std::size_t want = std::size_t(d.restartsInWindow);
            if (st.size() > want) st.erase(st.begin(), st.begin() + std::ptrdiff_t(st.size() - want));
            while (st.size() < want) st.push_back(nowS);
            if (st.size() != before || (st.empty() ? INT64_MIN : st.back()) != back) changed = true;
            set(s.restartsInWindow, d.restartsInWindow);
            m_stamped.insert(s.pid);
        }
        if (changed) updated(s.pid);
        break;
    }
    case DeltaType::ChildTerminated:
    case DeltaType::ShutdownError: {
        auto it = procs.find(d.pid);
        std::string id = d.text;
        if (id.empty() && it != procs.end()) id = it->second.childId;
        if (d.peer != 0 && !id.empty()) slotFor(d.peer, id).lastExit = d.reason;
        if (it != procs.end() && it->second.lastExitReason != d.reason) {
            it->second.lastExitReason = d.reason;
            updated(d.pid);
        }
        break;
    }
    case DeltaType::StartError: {
        if (d.peer == 0 || d.text.empty()) break;
        slotFor(d.peer, d.text).lastExit = d.reason;
        auto g = m_snapshot.ghosts.find(d.peer);
        if (g == m_snapshot.ghosts.end()) break;
        for (auto& ghost : g->second)
            if (ghost.childId == d.text && ghost.lastExitReason != d.reason) {
                ghost.lastExitReason = d.reason;
                if (c) c->slotsChanged.push_back(d.peer);
            }
        break;
    }
    case DeltaType::SupervisorGaveUp: {
        if (c) c->gaveUp.push_back({d.pid, d.text, d.reason, t});
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        ProcessRecord& r = it->second;
        if ((d.restartsInWindow && r.restartsInWindow != d.restartsInWindow) || r.status != "exiting") {
            if (d.restartsInWindow) r.restartsInWindow = d.restartsInWindow;
            r.status = "exiting";
            updated(d.pid);
        }
        break;
    }
    }
    if (c && !(before == Totals::of(m_snapshot))) c->totalsChanged = true;
    finish(c);
    return Apply::Applied;
}

void SessionModel::applySample(const Sample& s, ChangeSet* c) {
    touch(s.timeNs, c);
    if (c && (m_snapshot.messageRate != s.messageRate || m_snapshot.totalMailbox != s.totalMailbox))
        c->totalsChanged = true;
    m_snapshot.messageRate = s.messageRate;
    m_snapshot.totalMailbox = s.totalMailbox;
    const std::size_t from = c ? c->countersChanged.size() : 0;
    for (auto& [pid, len] : s.mailboxes) {
        auto it = m_snapshot.processes.find(pid);
        if (it == m_snapshot.processes.end() || it->second.mailboxLength == len) continue;
        it->second.mailboxLength = len;
        if (c) c->countersChanged.push_back(pid);
    }
    const std::size_t mailboxEnd = c ? c->countersChanged.size() : 0;
    for (auto& [pid, n] : s.handled) {
        auto it = m_snapshot.processes.find(pid);
        if (it == m_snapshot.processes.end() || it->second.messagesHandled == n) continue;
        it->second.messagesHandled = n;
        if (c) c->countersChanged.push_back(pid);
    }
    if (c && mailboxEnd > from && c->countersChanged.size() > mailboxEnd) {
        // A pid whose mailbox and handled count both changed is listed once.
        auto first = c->countersChanged.begin() + std::ptrdiff_t(from);
        std::sort(first, c->countersChanged.end());
        c->countersChanged.erase(std::unique(first, c->countersChanged.end()), c->countersChanged.end());
    }
    finish(c);
}

SessionModel::Apply SessionModel::apply(const WireMessage& message, ChangeSet* changes) {
    if (auto* k = std::get_if<Keyframe>(&message)) {
        applyKeyframe(*k, changes);
        return Apply::Applied;
    }
    if (auto* d = std::get_if<Delta>(&message)) return applyDelta(*d, changes);
    if (auto* s = std::get_if<Sample>(&message)) {
        if (!m_hasBase) return Apply::NeedKeyframe;
        applySample(*s, changes);
        return Apply::Applied;
    }
    if (std::holds_alternative<ResyncNotice>(message)) {
        m_needKeyframe = true;
        return Apply::NeedKeyframe;
    }
    return Apply::Ignored;
}

SessionModel::Apply SessionModel::apply(WireMessage&& message, ChangeSet* changes) {
    if (auto* k = std::get_if<Keyframe>(&message)) {
        applyKeyframe(std::move(*k), changes);
        return Apply::Applied;
    }
    return apply(static_cast<const WireMessage&>(message), changes);
}

void SessionModel::assignFrom(SessionModel&& other, ChangeSet* c) {
    const std::int64_t start = m_startNs;
    if (!c || !m_hasBase) {
        *this = std::move(other);
        m_startNs = start;
        if (c) {
            *c = ChangeSet{};
            c->reset = true;
        }
        finish(c);
        return;
    }
    const Totals before = Totals::of(m_snapshot);
    const std::size_t exitedFrom = c->exited.size(), spawnedFrom = c->spawned.size();
    auto& mine = m_snapshot.processes;
    const auto& theirs = other.m_snapshot.processes;
    c->timeNs = other.m_snapshot.timeNs;
    auto a = mine.begin();
    auto b = theirs.begin();
    while (a != mine.end() || b != theirs.end()) {
        if (b == theirs.end() || (a != mine.end() && a->first < b->first)) {
            c->exited.push_back({std::move(a->second), std::string(), other.m_snapshot.timeNs});
            ++a;
        } else if (a == mine.end() || b->first < a->first) {
            c->spawned.push_back(b->first);
            ++b;
        } else {
            diffRecord(a->second, b->second, *c);
            ++a;
            ++b;
        }
    }
    if (m_snapshot.ghosts != other.m_snapshot.ghosts) {
        for (const auto& [sup, list] : m_snapshot.ghosts) {
            auto o = other.m_snapshot.ghosts.find(sup);
            if (o == other.m_snapshot.ghosts.end() || o->second != list) c->slotsChanged.push_back(sup);
        }
        for (const auto& [sup, list] : other.m_snapshot.ghosts)
            if (!m_snapshot.ghosts.count(sup)) c->slotsChanged.push_back(sup);
    }
    *this = std::move(other);
    m_startNs = start;
    pairRestarts(*c, m_snapshot.processes, exitedFrom, spawnedFrom);
    if (!(before == Totals::of(m_snapshot))) c->totalsChanged = true;
    finish(c);
}

// ---- queries ------------------------------------------------------------------------------------

TreeSnapshot SessionModel::snapshotAt(std::int64_t sessionTimeNs) const {
    TreeSnapshot s = m_snapshot;
    s.timeNs = sessionTimeNs;
    for (std::uint64_t pid : m_stamped) {
        auto it = s.processes.find(pid);
        if (it != s.processes.end()) it->second.restartsInWindow = restartsInWindow(pid, sessionTimeNs);
    }
    return s;
}

Keyframe SessionModel::makeKeyframe() const {
    Keyframe k;
    k.seq = m_snapshot.seq;
    k.timeNs = m_lastTimeNs;
    k.processes.reserve(m_snapshot.processes.size());
    for (const auto& [pid, r] : m_snapshot.processes) k.processes.push_back(r);
    for (const auto& [supervisor, slots] : m_slots)
        for (const auto& e : slots.entries())
            if (e.value.restarts > 0 || !e.value.lastExit.empty())
                k.childSlots.push_back({supervisor, e.id, e.value.restarts, e.value.lastExit});
    std::sort(k.childSlots.begin(), k.childSlots.end(), [](const ChildSlotStats& a, const ChildSlotStats& b) {
        return a.supervisor != b.supervisor ? a.supervisor < b.supervisor : a.childId < b.childId;
    });
    for (const auto& [sup, list] : m_snapshot.ghosts) k.ghosts.insert(k.ghosts.end(), list.begin(), list.end());
    return k;
}

int SessionModel::restartsOf(std::uint64_t supervisor, const std::string& childId) const {
    auto sup = m_slots.find(supervisor);
    if (sup == m_slots.end()) return 0;
    const Slot* s = sup->second.find(childId, childIdHash(childId));
    return s ? s->restarts : 0;
}

int SessionModel::restartsInWindow(std::uint64_t supervisor, std::int64_t sessionTimeNs) const {
    const ProcessRecord* r = m_snapshot.find(supervisor);
    if (!r) return 0;
    if (r->restartStamps.empty()) return r->restartsInWindow;
    const std::int64_t nowS = floorSeconds(saturating::add(m_startNs, sessionTimeNs));
    const std::int64_t oldest = nowS - std::max(0, r->maxSeconds);
    return int(std::count_if(r->restartStamps.begin(), r->restartStamps.end(),
                             [&](std::int64_t s) { return s >= oldest && s <= nowS; }));
}

} // namespace canopy::introspection
