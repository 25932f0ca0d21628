#pragma once
#include "introspection/process_record.h"
#include <cstdint>
#include <algorithm>
#include <map>
#include <vector>

namespace canopy::introspection {

/// The whole process tree at one moment: what the session model answers for "the tree at time T",
/// and what the exporters draw.
class TreeSnapshot {
public:
    /// Session time of this snapshot (ns since the session's start).
    std::int64_t timeNs = 0;
    /// Every live process by pid.
    std::map<std::uint64_t, ProcessRecord> processes;
    /// Sequence number of the last delta reflected (0 = none).
    std::uint64_t seq = 0;
    /// From the latest sample: messages handled per second, and the sum of mailbox lengths.
    double messageRate = 0.0;
    std::int64_t totalMailbox = 0;

    /// Processes whose parent is 0 or not in the snapshot, by pid.
    std::vector<std::uint64_t> roots() const {
        std::vector<std::uint64_t> out;
        for (const auto& [pid, rec] : processes)
            if (rec.parent == 0 || !processes.count(rec.parent)) out.push_back(pid);
        return out;
    }
    /// Children of `pid` in start order (startOrder, then pid).
    std::vector<std::uint64_t> childrenOf(std::uint64_t pid) const {
        std::vector<const ProcessRecord*> v;
        for (const auto& [p, rec] : processes)
            if (rec.parent == pid && p != pid) v.push_back(&rec);
        std::sort(v.begin(), v.end(), [](auto* a, auto* b) {
            return a->startOrder != b->startOrder ? a->startOrder < b->startOrder : a->pid < b->pid;
        });
        std::vector<std::uint64_t> out;
        for (auto* r : v) out.push_back(r->pid);
        return out;
    }
    /// The record of `pid`, or nullptr.
    const ProcessRecord* find(std::uint64_t pid) const {
        auto it = processes.find(pid);
        return it == processes.end() ? nullptr : &it->second;
    }
};

} // namespace canopy::introspection
