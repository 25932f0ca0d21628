#include "app/canopyctl/tree_text.h"
#include "introspection/codec.h"
#include "introspection/keyframe.h"
#include "introspection/pid_text.h"
#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace canopy::app {

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
    return s;
}

std::string TreeText::render(const TreeSnapshot& snapshot) {
    std::string out;
    std::set<std::uint64_t> seen;
    // Iterative depth-first walk (trees may be deep); each stack entry carries its prefix.
    struct Item {
        std::uint64_t pid;
        std::string prefix;
        bool last;
        bool root;
    };
    std::vector<Item> stack;
    auto roots = snapshot.roots();
    for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, "", true, true});
    auto orphan = snapshot.processes.begin();
    while (true) {
        if (stack.empty()) {
            // Processes unreachable from a root (a parent cycle in bad input) are still shown.
            while (orphan != snapshot.processes.end() && seen.count(orphan->first)) ++orphan;
            if (orphan == snapshot.processes.end()) break;
            stack.push_back({orphan->first, "", true, true});
        }
        Item item = std::move(stack.back());
        stack.pop_back();
        if (!seen.insert(item.pid).second) continue;
        const ProcessRecord* r = snapshot.find(item.pid);
        if (!r) continue;
        out += item.prefix;
        if (!item.root) out += item.last ? "└── " : "├── ";
        out += describe(*r) + "\n";
        std::string childPrefix = item.root ? item.prefix : item.prefix + (item.last ? "    " : "│   ");
        auto kids = snapshot.childrenOf(item.pid);
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
    std::set<std::uint64_t> seen;
    std::vector<std::pair<std::uint64_t, int>> stack;
    auto roots = snapshot.roots();
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
        procs.push_back(std::move(j));
        auto kids = snapshot.childrenOf(pid);
        for (std::size_t i = kids.size(); i-- > 0;) stack.push_back({kids[i], depth + 1});
    }
    return nlohmann::json{{"time_s", double(snapshot.timeNs) / 1e9},
                          {"count", snapshot.processes.size()},
                          {"seq", snapshot.seq},
                          {"processes", std::move(procs)}};
}

std::map<std::uint64_t, std::string> TreeText::allPaths(const TreeSnapshot& snapshot) {
    std::map<std::uint64_t, std::vector<std::uint64_t>> kids;
    for (const auto& [pid, r] : snapshot.processes)
        if (r.parent != 0 && r.parent != pid && snapshot.processes.count(r.parent)) kids[r.parent].push_back(pid);
    auto order = [&](std::vector<std::uint64_t>& v) {
        std::sort(v.begin(), v.end(), [&](auto a, auto b) {
            const auto& ra = snapshot.processes.at(a);
            const auto& rb = snapshot.processes.at(b);
            return ra.startOrder != rb.startOrder ? ra.startOrder < rb.startOrder : a < b;
        });
    };
    auto label = [&](std::uint64_t pid) {
        const auto& r = snapshot.processes.at(pid);
        return !r.childId.empty() ? r.childId : r.displayName();
    };
    std::map<std::uint64_t, std::string> out;
    std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>> work; // (parent, its children)
    auto roots = snapshot.roots();
    order(roots);
    work.push_back({0, roots});
    while (!work.empty()) {
        auto [parent, children] = std::move(work.back());
        work.pop_back();
        std::map<std::string, int> count, index;
        for (auto c : children) ++count[label(c)];
        const std::string base = parent == 0 ? "" : out[parent] + "/";
        for (auto c : children) {
            if (out.count(c)) continue;
            std::string l = label(c);
            if (count[l] > 1) l += "#" + std::to_string(++index[l]);
            out[c] = base + l;
            auto it = kids.find(c);
            if (it != kids.end()) {
                order(it->second);
                work.push_back({c, it->second});
            }
        }
    }
    return out;
}

} // namespace canopy::app
