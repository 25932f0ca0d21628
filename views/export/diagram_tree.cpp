#include "views/export/diagram_tree.h"

#include "introspection/process_family.h"
#include "introspection/process_paths.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace canopy::exporting {

namespace {

using introspection::familyOf;
using introspection::ProcessPaths;
using introspection::ProcessRecord;
using introspection::TreeSnapshot;

constexpr std::size_t kMaxReasonLength = 40;

std::string shorten(const std::string& text) {
    std::string oneLine;
    for (char c : text) oneLine += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (oneLine.size() <= kMaxReasonLength) return oneLine;
    std::size_t cut = kMaxReasonLength - 3;
    while (cut > 0 && (static_cast<unsigned char>(oneLine[cut]) & 0xC0) == 0x80) --cut; // UTF-8 boundary
    return oneLine.substr(0, cut) + "...";
}

std::string times(long long n) { return n == 1 ? "once" : std::to_string(n) + " times"; }

} // namespace

/// Builds a DiagramTree; one instance per build() call.
class DiagramTreeBuilder {
public:
    DiagramTreeBuilder(const TreeSnapshot& snapshot, bool herds, bool annotate, std::size_t herdThreshold)
        : m_snapshot(snapshot), m_herds(herds), m_annotate(annotate), m_herdThreshold(std::max<std::size_t>(2, herdThreshold)) {}

    DiagramTree run() {
        std::vector<std::vector<const ProcessRecord*>> groups;
        for (const auto* r : ProcessPaths::siblingsOf(m_snapshot, 0)) groups.push_back({r});
        auto segments = segmentsFor(groups);
        for (std::size_t i = 0; i < groups.size(); ++i)
            m_tree.m_roots.push_back(addNode(groups[i], segments[i], "", 0));
        // Processes unreachable from a root (a parent cycle in bad input) are drawn as roots; those
        // below a drawn node were cut at kMaxDepth and stay cut.
        if (m_drawn.size() < m_snapshot.processes.size()) {
            std::vector<std::vector<const ProcessRecord*>> orphans;
            for (const auto& [pid, r] : m_snapshot.processes)
                if (!m_drawn.count(pid) && !belowDrawnNode(pid)) orphans.push_back({&r});
            auto orphanSegments = segmentsFor(orphans);
            for (std::size_t i = 0; i < orphans.size(); ++i)
                if (!m_drawn.count(orphans[i].front()->pid))
                    m_tree.m_roots.push_back(addNode(orphans[i], orphanSegments[i], "", 0));
        }
        return std::move(m_tree);
    }

private:
    /// True when an ancestor of `pid` is drawn (so `pid` was cut by the depth limit). Memoised; stops
    /// at a parent cycle.
    bool belowDrawnNode(std::uint64_t pid) {
        std::vector<std::uint64_t> chain;
        std::unordered_set<std::uint64_t> seen;
        bool below = false;
        for (std::uint64_t p = pid;;) {
            if (auto memo = m_belowDrawn.find(p); memo != m_belowDrawn.end()) {
                below = memo->second;
                break;
            }
            if (!seen.insert(p).second) break; // a cycle: not below anything drawn
            chain.push_back(p);
            const ProcessRecord* r = m_snapshot.find(p);
            if (!r || r->parent == 0 || r->parent == p) break;
            if (m_drawn.count(r->parent)) {
                below = true;
                break;
            }
            p = r->parent;
        }
        for (std::uint64_t c : chain) m_belowDrawn.emplace(c, below);
        return below;
    }

    /// Children and ghost slots of `pid`, in sibling order.
    std::vector<const ProcessRecord*> childrenOf(std::uint64_t pid) const { return ProcessPaths::siblingsOf(m_snapshot, pid); }

    /// Path segments for sibling groups (ProcessPaths' scheme): child id, name or family; `*` marks a
    /// herd; duplicates among siblings get `#2`, `#3`... in sibling order.
    static std::vector<std::string> segmentsFor(const std::vector<std::vector<const ProcessRecord*>>& groups) {
        std::vector<std::string> out;
        ProcessPaths::SiblingNames names;
        for (const auto& g : groups) {
            const ProcessRecord& r = *g.front();
            std::string seg = g.size() > 1 ? familyOf(r) + "*" : ProcessPaths::segmentOf(r);
            if (seg == "*") seg = "process*";
            out.push_back(names.take(std::move(seg)));
        }
        return out;
    }

    std::size_t addNode(const std::vector<const ProcessRecord*>& members, const std::string& segment,
                        const std::string& parentId, int depth) {
        const ProcessRecord& first = *members.front();
        std::size_t index = m_tree.m_nodes.size();
        {
            DiagramNode node;
            node.id = parentId.empty() ? segment : parentId + "/" + segment;
            node.count = members.size();
            node.title = node.count > 1 ? familyOf(first) : first.displayName();
            if (node.title.empty()) node.title = first.pidText;
            node.kind = first.kind;
            node.strategy = first.strategy;
            node.depth = depth;
            node.ghost = first.pid == 0;
            if (!node.ghost) {
                node.pids.reserve(members.size());
                for (const auto* m : members) {
                    node.pids.push_back(m->pid);
                    m_drawn.insert(m->pid);
                }
            }
            if (m_annotate) node.notes = node.ghost ? ghostNotes(first) : notesFor(members);
            m_tree.m_nodes.push_back(std::move(node));
        }
        if (first.pid == 0) return index; // a ghost slot has no processes under it
        // Children of all members, grouped.
        std::vector<std::vector<const ProcessRecord*>> groups;
        bool groupByFamily = members.size() > 1 || (m_herds && first.kind == "dynamic_supervisor");
        if (!groupByFamily) {
            for (const auto* c : childrenOf(first.pid))
                if (c->pid == 0 || !m_drawn.count(c->pid)) groups.push_back({c});
        } else {
            std::unordered_map<std::string, std::size_t> groupOf;
            for (const auto* m : members) {
                for (const auto* c : childrenOf(m->pid)) {
                    if (c->pid != 0 && m_drawn.count(c->pid)) continue; // a parent cycle in bad input
                    // Under a herd, children are matched by child id (the same spec in each member);
                    // ghost slots group apart from running ones.
                    std::string key = (members.size() > 1 && !c->childId.empty()) ? "id:" + c->childId
                                                                                 : "family:" + familyOf(*c);
                    if (c->pid == 0) key = "ghost:" + key;
                    auto [it, inserted] = groupOf.emplace(key, groups.size());
                    if (inserted) groups.emplace_back();
                    groups[it->second].push_back(c);
                }
            }
        }
        // A family smaller than the herd threshold is drawn one node per process.
        if (members.size() == 1 && m_herdThreshold > 2) {
            std::vector<std::vector<const ProcessRecord*>> split;
            for (auto& g : groups) {
                if (g.size() >= m_herdThreshold) split.push_back(std::move(g));
                else
                    for (const auto* c : g) split.push_back({c});
            }
            groups = std::move(split);
        }
        if (groups.empty()) return index;
        if (depth + 1 > DiagramTree::kMaxDepth) {
            m_tree.m_truncated = true;
            return index;
        }
        auto segments = segmentsFor(groups);
        std::string id = m_tree.m_nodes[index].id;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            std::size_t child = addNode(groups[i], segments[i], id, depth + 1);
            m_tree.m_nodes[index].children.push_back(child);
        }
        return index;
    }

    /// A ghost slot's notes: how its last process ended, and its restarts.
    static std::vector<std::string> ghostNotes(const ProcessRecord& slot) {
        std::vector<std::string> notes;
        if (slot.restartCount > 0) notes.push_back("restarted " + times(slot.restartCount));
        if (!slot.lastExitReason.empty()) notes.push_back("last exit: " + shorten(slot.lastExitReason));
        return notes;
    }

    static std::vector<std::string> notesFor(const std::vector<const ProcessRecord*>& members) {
        std::vector<std::string> notes;
        const ProcessRecord& first = *members.front();
        if (members.size() == 1) {
            if (first.kind != "worker" && first.maxRestarts > 0)
                notes.push_back("restarts " + std::to_string(first.restartsInWindow) + "/" +
                                std::to_string(first.maxRestarts) + " in " + std::to_string(first.maxSeconds) + "s");
            if (first.restartCount > 0) notes.push_back("restarted " + times(first.restartCount));
            if (first.mailboxLength > 0) notes.push_back("mailbox " + std::to_string(first.mailboxLength));
            if (!first.lastExitReason.empty()) notes.push_back("last exit: " + shorten(first.lastExitReason));
            return notes;
        }
        long long restarts = 0, mailboxTotal = 0, mailboxMax = 0;
        std::map<std::string, int> reasons;
        for (const auto* m : members) {
            restarts += m->restartCount;
            mailboxTotal += m->mailboxLength;
            mailboxMax = std::max<long long>(mailboxMax, m->mailboxLength);
            if (!m->lastExitReason.empty()) ++reasons[shorten(m->lastExitReason)];
        }
        if (restarts > 0) notes.push_back("restarted " + times(restarts) + " in all");
        if (mailboxTotal > 0)
            notes.push_back("mailbox total " + std::to_string(mailboxTotal) + ", max " + std::to_string(mailboxMax));
        if (!reasons.empty()) {
            std::vector<std::pair<std::string, int>> mix(reasons.begin(), reasons.end());
            std::stable_sort(mix.begin(), mix.end(), [](auto& a, auto& b) { return a.second > b.second; });
            std::string line = "exits:";
            for (std::size_t i = 0; i < mix.size() && i < 3; ++i)
                line += (i ? ", " : " ") + mix[i].first + " " + std::to_string(mix[i].second);
            if (mix.size() > 3) line += ", ...";
            notes.push_back(line);
        }
        return notes;
    }

    const TreeSnapshot& m_snapshot;
    bool m_herds;
    bool m_annotate;
    std::size_t m_herdThreshold;
    std::unordered_set<std::uint64_t> m_drawn;
    std::unordered_map<std::uint64_t, bool> m_belowDrawn;
    DiagramTree m_tree;
};

DiagramTree DiagramTree::build(const introspection::TreeSnapshot& snapshot, bool herds, bool annotate,
                               std::size_t herdThreshold) {
    return DiagramTreeBuilder(snapshot, herds, annotate, herdThreshold).run();
}

} // namespace canopy::exporting
