#pragma once
#include "introspection/process_record.h"
#include "introspection/tree_index.h"
#include <cstdint>
#include <map>
#include <vector>

namespace canopy::introspection {

/// The whole process tree at one moment: what the session model answers for "the tree at time T",
/// and what the exporters draw. Code may fill `processes` by hand (fixtures, tests, JSON snapshots):
/// the child/root index is then built on first use; after changing a record's parent or startOrder
/// by hand once the index was used, call invalidateIndex(). The SessionModel keeps it current itself.
class TreeSnapshot {
public:
    /// Session time of this snapshot (ns since the session's start).
    std::int64_t timeNs = 0;
    /// Every live process by pid.
    std::map<std::uint64_t, ProcessRecord> processes;
    /// Child slots of static supervisors with no running process (a transient child that exited
    /// normally, a terminated child): OTP's which_children lists them with pid `undefined`. By
    /// supervisor pid; each a record with pid 0, parent = the supervisor, childId = the slot, the last
    /// process's name/kind/initial call/last exit, and startOrder = the slot's place among its
    /// siblings (the same order key as running children). Sorted by startOrder.
    std::map<std::uint64_t, std::vector<ProcessRecord>> ghosts;
    /// Sequence number of the last delta reflected (0 = none).
    std::uint64_t seq = 0;
    /// From the latest sample: messages handled per second, and the sum of mailbox lengths.
    double messageRate = 0.0;
    std::int64_t totalMailbox = 0;

    /// Roots (parent 0, itself, or not in the snapshot) in sibling order, by pid.
    std::vector<std::uint64_t> roots() const { return pidsOf(index().roots()); }
    /// Children of `pid` in sibling order (startOrder, then pid). O(children).
    std::vector<std::uint64_t> childrenOf(std::uint64_t pid) const { return pidsOf(index().children(pid)); }
    /// The same without copying: (order, pid) entries.
    const TreeIndex::Siblings& children(std::uint64_t pid) const { return index().children(pid); }
    /// The ghost slots of supervisor `pid` in slot order (empty when none).
    const std::vector<ProcessRecord>& ghostsOf(std::uint64_t pid) const {
        static const std::vector<ProcessRecord> none;
        auto it = ghosts.find(pid);
        return it == ghosts.end() ? none : it->second;
    }
    /// The record of `pid`, or nullptr.
    const ProcessRecord* find(std::uint64_t pid) const {
        auto it = processes.find(pid);
        return it == processes.end() ? nullptr : &it->second;
    }
    /// The child/root index (built now if `processes` was filled or resized by hand).
    const TreeIndex& index() const {
        if (!m_indexValid || m_indexedSize != processes.size()) {
            m_index.build(processes);
            m_indexValid = true;
            m_indexedSize = processes.size();
        }
        return m_index;
    }
    /// Forces the index to be rebuilt on next use (after changing parents or orders by hand).
    void invalidateIndex() { m_indexValid = false; }

private:
    friend class SessionModel;
    static std::vector<std::uint64_t> pidsOf(const TreeIndex::Siblings& entries) {
        std::vector<std::uint64_t> out;
        out.reserve(entries.size());
        for (const auto& e : entries) out.push_back(e.pid);
        return out;
    }
    /// The SessionModel's incremental maintenance: mutable index, and "it matches `processes`".
    TreeIndex& liveIndex() {
        m_indexValid = true;
        return m_index;
    }
    void indexSynced() { m_indexedSize = processes.size(); }

    mutable TreeIndex m_index;
    mutable bool m_indexValid = false;
    mutable std::size_t m_indexedSize = 0;
};

} // namespace canopy::introspection
