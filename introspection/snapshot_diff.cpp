#include "introspection/snapshot_diff.h"
#include "introspection/process_paths.h"
#include <algorithm>
#include <map>
#include <set>

namespace canopy::introspection {

namespace {
/// A static supervisor's child (its slot can be restarted); dynamic children have no child id.
bool isSlotChild(const TreeSnapshot& s, const ProcessRecord& r) {
    if (r.childId.empty()) return false;
    const ProcessRecord* sup = s.find(r.parent);
    return !sup || sup->kind != "dynamic_supervisor";
}
} // namespace

SnapshotDiff SnapshotDiff::between(const TreeSnapshot& a, const TreeSnapshot& b, bool sameSession) {
    SnapshotDiff out;
    const auto pathsA = ProcessPaths::of(a);
    const auto pathsB = ProcessPaths::of(b);
    std::map<std::uint64_t, std::uint64_t> match; // pid in a -> pid in b
    std::set<std::uint64_t> matchedB;
    if (sameSession)
        for (const auto& [pid, r] : a.processes)
            if (b.processes.count(pid)) {
                match[pid] = pid;
                matchedB.insert(pid);
            }
    // By path: within one session only slots (a dynamic child's path is a family number, not an identity).
    std::map<std::string, std::uint64_t> byPathB;
    for (const auto& [pid, path] : pathsB)
        if (!matchedB.count(pid) && (!sameSession || isSlotChild(b, b.processes.at(pid)))) byPathB.emplace(path, pid);
    for (const auto& [pid, path] : pathsA) {
        if (match.count(pid)) continue;
        if (sameSession && !isSlotChild(a, a.processes.at(pid))) continue;
        auto it = byPathB.find(path);
        if (it == byPathB.end() || matchedB.count(it->second)) continue;
        match[pid] = it->second;
        matchedB.insert(it->second);
    }
    for (const auto& [pid, r] : a.processes)
        if (!match.count(pid)) out.removed.push_back({pid, r.pidText, pathsA.at(pid)});
    for (const auto& [pid, r] : b.processes)
        if (!matchedB.count(pid)) out.added.push_back({pid, r.pidText, pathsB.at(pid)});
    for (const auto& [pa, pb] : match) {
        const ProcessRecord& ra = a.processes.at(pa);
        const ProcessRecord& rb = b.processes.at(pb);
        const std::string& path = pathsB.at(pb);
        const bool restarted = isSlotChild(b, rb) && (sameSession ? pa != pb : rb.restartCount > ra.restartCount);
        if (restarted)
            out.restarted.push_back({path, pa, pb, ra.pidText, rb.pidText, ra.restartCount, rb.restartCount});
        if (ra.mailboxLength != rb.mailboxLength) out.mailbox.push_back({path, pb, ra.mailboxLength, rb.mailboxLength});
    }
    auto byPath = [](const auto& x, const auto& y) { return x.path < y.path; };
    std::stable_sort(out.added.begin(), out.added.end(), byPath);
    std::stable_sort(out.removed.begin(), out.removed.end(), byPath);
    std::stable_sort(out.restarted.begin(), out.restarted.end(), byPath);
    std::stable_sort(out.mailbox.begin(), out.mailbox.end(), byPath);
    return out;
}

} // namespace canopy::introspection
