#include "app/canopyctl/tree_text.h"
#include "introspection/codec.h"
#include "introspection/keyframe.h"
#include "introspection/process_paths.h"
#include "introspection/pid_text.h"
#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace canopy::app {

using introspection::ProcessPaths;
using introspection::ProcessRecord;
using introspection::TreeSnapshot;

std::string TreeText::describe(const ProcessRecord& r) {
    std::string s = r.pidText.empty() ? introspection::pidText(r.pid) : r.pidText;
    s += " " + r.displayName();
    if (!r.name.empty() && !r.childId.empty() && r.childId != r.name) s += " (id " + r.childId + ")";
    if (r.kind != "worker") {
        s += "  [" + r.kind;
        if (!r.strategy.empty()) s += ", " + r.strategy;
        s += "]";
        if (r.maxRestarts > 0 || r.restartsInWindow > 0)
            s += "  restarts " + std::to_string(r.restartsInWindow) + "/" + std::to_string(r.maxRestarts) + " in " +
                 std::to_string(r.maxSeconds) + "s";
    }
    if (!r.restart.empty() && r.restart != "permanent") s += "  " + r.restart;
    if (r.mailboxLength != 0) s += "  mailbox " + std::to_string(r.mailboxLength);
    if (r.restartCount > 0) s += "  restarted " + std::to_string(r.restartCount) + "x";
    if (!r.lastExitReason.empty()) s += "  last exit: " + r.lastExitReason;
    if (r.status == "exiting" || r.status == "dead") s += "  (" + r.status + ")";
    // A BEAM supervisor that did not answer which_children in time (canopy-beam): its children are not known.
    if (r.status == "unresponsive") s += "  (not answering which_children)";
    return s;
}

std::string TreeText::describeGhost(const ProcessRecord& g) {
    std::string s = "(undefined) " + g.displayName();
    if (!g.name.empty() && !g.childId.empty() && g.childId != g.name) s += " (id " + g.childId + ")";
    if (g.kind != "worker") s += "  [" + g.kind + (g.strategy.empty() ? "" : ", " + g.strategy) + "]";
    if (!g.restart.empty() && g.restart != "permanent") s += "  " + g.restart;
    s += "  (not running";
    if (!g.lastExitReason.empty()) s += "; last exit: " + g.lastExitReason;
    s += ")";
    return s;
}

std::string TreeText::render(const TreeSnapshot& snapshot) {
    std::string out;
    std::set<std::uint64_t> seen;
    // Iterative depth-first walk (trees may be deep); each stack entry carries its prefix.
    struct Item {
        const ProcessRecord* record;
        std::string prefix;
        bool last;
        bool root;
    };
    std::vector<Item> stack;
    const introspection::TreeIndex& index = snapshot.index();
    auto roots = ProcessPaths::siblingsOf(snapshot, index, 0);
    for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, "", true, true});
    auto orphan = snapshot.processes.begin();
    while (true) {
        if (stack.empty()) {
            // Processes unreachable from a root (a parent cycle in bad input) are still shown.
            while (orphan != snapshot.processes.end() && seen.count(orphan->first)) ++orphan;
            if (orphan == snapshot.processes.end()) break;
            stack.push_back({&orphan->second, "", true, true});
        }
        Item item = std::move(stack.back());
        stack.pop_back();
        const ProcessRecord& r = *item.record;
        if (r.pid != 0 && !seen.insert(r.pid).second) continue;
        out += item.prefix;
        if (!item.root) out += item.last ? "└── " : "├── ";
        out += (r.pid == 0 ? describeGhost(r) : describe(r)) + "\n";
        if (r.pid == 0) continue;
        std::string childPrefix = item.root ? item.prefix : item.prefix + (item.last ? "    " : "│   ");
        auto kids = ProcessPaths::siblingsOf(snapshot, index, r.pid);
        for (std::size_t i = kids.size(); i-- > 0;) stack.push_back({kids[i], childPrefix, i + 1 == kids.size(), false});
    }
    return out;
}

nlohmann::json TreeText::toJson(const ProcessRecord& record) {
    introspection::Keyframe k;
    k.processes.push_back(record);
    auto j = nlohmann::json::parse(introspection::Codec::toJsonText(k));
    auto rec = j["processes"][0];
    rec["pid_text"] = record.pidText;
    rec["display_name"] = record.displayName();
    return rec;
}

nlohmann::json TreeText::toJson(const TreeSnapshot& snapshot) {
    nlohmann::json procs = nlohmann::json::array();
    const auto paths = ProcessPaths::of(snapshot);
    std::set<std::uint64_t> seen;
    std::vector<std::pair<std::uint64_t, int>> stack;
    const introspection::TreeIndex& index = snapshot.index();
    std::vector<std::uint64_t> roots;
    for (const auto& e : index.roots()) roots.push_back(e.pid);
    for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, 0});
    auto orphan = snapshot.processes.begin();
    while (true) {
        if (stack.empty()) {
            while (orphan != snapshot.processes.end() && seen.count(orphan->first)) ++orphan;
            if (orphan == snapshot.processes.end()) break;
            stack.push_back({orphan->first, 0});
        }
        auto [pid, depth] = stack.back();
        stack.pop_back();
        if (!seen.insert(pid).second) continue;
        const ProcessRecord* r = snapshot.find(pid);
        if (!r) continue;
        auto j = toJson(*r);
        j["depth"] = depth;
        if (auto p = paths.find(pid); p != paths.end()) j["path"] = p->second;
        procs.push_back(std::move(j));
        std::vector<std::uint64_t> kids;
        for (const auto& e : index.children(pid)) kids.push_back(e.pid);
        for (std::size_t i = kids.size(); i-- > 0;) stack.push_back({kids[i], depth + 1});
    }
    nlohmann::json ghosts = nlohmann::json::array();
    for (const auto& [sup, list] : snapshot.ghosts) {
        auto sp = paths.find(sup);
        for (const auto& g : list) {
            auto j = toJson(g);
            j.erase("pid_text");
            if (sp != paths.end()) j["path"] = sp->second + "/" + ProcessPaths::segmentOf(g);
            ghosts.push_back(std::move(j));
        }
    }
    nlohmann::json out{{"time_s", double(snapshot.timeNs) / 1e9},
                       {"count", snapshot.processes.size()},
                       {"seq", snapshot.seq},
                       {"processes", std::move(procs)}};
    if (!ghosts.empty()) out["ghosts"] = std::move(ghosts);
    return out;
}

} // namespace canopy::app
