#include "views/export/diagram_tree.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace canopy::exporting {

namespace {

using introspection::ProcessRecord;
using introspection::TreeSnapshot;

constexpr std::size_t kMaxReasonLength = 40;

/// The spec family of a process: its initial call's module (`Todo.Server:init/1` -> `Todo.Server`),
/// else its display name with a trailing number stripped (`worker_12` -> `worker`).
std::string familyOf(const ProcessRecord& r) {
    if (!r.initialCall.empty()) {
        auto colon = r.initialCall.find(':');
        if (colon != std::string::npos && colon > 0) return r.initialCall.substr(0, colon);
        return r.initialCall;
    }
    std::string name = r.displayName();
    std::size_t end = name.size();
    while (end > 0 && (std::isdigit(static_cast<unsigned char>(name[end - 1])))) --end;
    if (end == name.size()) return name;
    while (end > 0 && std::string_view("-_.:# /").find(name[end - 1]) != std::string_view::npos) --end;
    return end == 0 ? name : name.substr(0, end);
}

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
        : m_snapshot(snapshot), m_herds(herds), m_annotate(annotate), m_herdThreshold(std::max<std::size_t>(2, herdThreshold)) {
        for (const auto& [pid, r] : snapshot.processes) {
            if (r.parent != 0 && r.parent != pid && snapshot.processes.count(r.parent))
                m_children[r.parent].push_back(&r);
            else
                m_rootRecords.push_back(&r);
        }
        auto byStart = [](const ProcessRecord* a, const ProcessRecord* b) {
            return a->startOrder != b->startOrder ? a->startOrder < b->startOrder : a->pid < b->pid;
        };
        for (auto& [pid, list] : m_children) std::sort(list.begin(), list.end(), byStart);
        std::sort(m_rootRecords.begin(), m_rootRecords.end(), byStart);
    }

    DiagramTree run() {
        std::vector<std::vector<const ProcessRecord*>> groups;
        for (const auto* r : m_rootRecords) groups.push_back({r});
        auto segments = segmentsFor(groups);
        for (std::size_t i = 0; i < groups.size(); ++i)
            m_tree.m_roots.push_back(addNode(groups[i], segments[i], "", 0));
        return std::move(m_tree);
    }

private:
    const std::vector<const ProcessRecord*>& childrenOf(std::uint64_t pid) const {
        static const std::vector<const ProcessRecord*> none;
        auto it = m_children.find(pid);
        return it == m_children.end() ? none : it->second;
    }

    /// Path segments for sibling groups: child id, name or family; `*` marks a herd; duplicates
    /// among siblings get `#2`, `#3`... in start order.
    static std::vector<std::string> segmentsFor(const std::vector<std::vector<const ProcessRecord*>>& groups) {
        std::vector<std::string> out;
        std::map<std::string, int> seen;
        for (const auto& g : groups) {
            const ProcessRecord& r = *g.front();
            std::string seg;
            if (g.size() > 1) seg = familyOf(r) + "*";
            else if (!r.childId.empty()) seg = r.childId;
            else if (!r.name.empty()) seg = r.name;
            else seg = familyOf(r);
            if (seg.empty()) seg = "process";
            int n = ++seen[seg];
            if (n > 1) seg += "#" + std::to_string(n);
            out.push_back(std::move(seg));
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
            node.pids.reserve(members.size());
            for (const auto* m : members) node.pids.push_back(m->pid);
            if (m_annotate) node.notes = notesFor(members);
            m_tree.m_nodes.push_back(std::move(node));
        }
        // Children of all members, grouped.
        std::vector<std::vector<const ProcessRecord*>> groups;
        bool groupByFamily = members.size() > 1 || (m_herds && first.kind == "dynamic_supervisor");
        if (!groupByFamily) {
            for (const auto* c : childrenOf(first.pid)) groups.push_back({c});
        } else {
            std::unordered_map<std::string, std::size_t> groupOf;
            for (const auto* m : members) {
                for (const auto* c : childrenOf(m->pid)) {
                    // Under a herd, children are matched by child id (the same spec in each member).
                    std::string key = (members.size() > 1 && !c->childId.empty()) ? "id:" + c->childId
                                                                                 : "family:" + familyOf(*c);
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
    std::unordered_map<std::uint64_t, std::vector<const ProcessRecord*>> m_children;
    std::vector<const ProcessRecord*> m_rootRecords;
    DiagramTree m_tree;
};

DiagramTree DiagramTree::build(const introspection::TreeSnapshot& snapshot, bool herds, bool annotate,
                               std::size_t herdThreshold) {
    return DiagramTreeBuilder(snapshot, herds, annotate, herdThreshold).run();
}

} // namespace canopy::exporting
