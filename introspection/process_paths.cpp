#include "introspection/process_paths.h"
#include "introspection/process_family.h"

namespace canopy::introspection {

std::string ProcessPaths::segmentOf(const ProcessRecord& r) {
    std::string seg;
    if (!r.childId.empty()) seg = r.childId;
    else if (!r.name.empty()) seg = r.name;
    else seg = familyOf(r);
    return seg.empty() ? std::string("process") : seg;
}

std::string ProcessPaths::SiblingNames::take(std::string segment) {
    const int n = ++m_seen[segment];
    if (n > 1) segment += "#" + std::to_string(n);
    return segment;
}

std::vector<const ProcessRecord*> ProcessPaths::siblingsOf(const TreeSnapshot& snapshot, std::uint64_t parent) {
    const auto& kids = parent == 0 ? snapshot.index().roots() : snapshot.children(parent);
    static const std::vector<ProcessRecord> none;
    const std::vector<ProcessRecord>& ghosts = parent == 0 ? none : snapshot.ghostsOf(parent);
    std::vector<const ProcessRecord*> out;
    out.reserve(kids.size() + ghosts.size());
    auto g = ghosts.begin();
    for (const auto& e : kids) {
        while (g != ghosts.end() && g->startOrder < e.order) out.push_back(&*g++);
        if (const ProcessRecord* r = snapshot.find(e.pid)) out.push_back(r);
    }
    while (g != ghosts.end()) out.push_back(&*g++);
    return out;
}

std::map<std::uint64_t, std::string> ProcessPaths::of(const TreeSnapshot& snapshot) {
    std::map<std::uint64_t, std::string> out;
    struct Work {
        std::uint64_t parent;
        std::string prefix;
    };
    std::vector<Work> work{{0, std::string()}};
    while (!work.empty()) {
        Work w = std::move(work.back());
        work.pop_back();
        SiblingNames names;
        for (const ProcessRecord* r : siblingsOf(snapshot, w.parent)) {
            std::string path = w.prefix + names.take(segmentOf(*r));
            if (r->pid == 0) continue; // a ghost slot: numbered with its siblings, no path of its own here
            if (!out.emplace(r->pid, path).second) continue;
            work.push_back({r->pid, path + "/"});
        }
    }
    // Processes unreachable from a root (a parent cycle in bad input) still get a name.
    for (const auto& [pid, r] : snapshot.processes)
        if (!out.count(pid)) out.emplace(pid, segmentOf(r));
    return out;
}

} // namespace canopy::introspection
