#pragma once
#include "introspection/process_record.h"
#include "introspection/tree_index.h"
#include <cstdint>
#include <map>
#include <vector>

namespace canopy::introspection {

/// The whole process tree at one moment: what the session model answers for "the tree at time T",
/// and what the exporters draw. Code may fill `processes` by hand (fixtures, tests, JSON snapshots):
/// the child/root index is then built on first use, and checked against the records (pid, parent,
/// start order) on each index() call — O(N) once per question, so walkers take index() once. The
/// SessionModel keeps the index of its snapshot (and of copies made from it) current itself; a copy
/// of a model snapshot changed by hand needs invalidateIndex().
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
    /// The child/root index (built, or rebuilt when `processes` changed by hand since).
    const TreeIndex& index() const {
        if (m_maintained && m_indexValid && m_indexedSize == processes.size()) return m_index;
        const std::uint64_t print = fingerprint();
        if (!m_indexValid || m_indexedSize != processes.size() || print != m_fingerprint) {
            m_index.build(processes);
            m_indexValid = true;
            m_indexedSize = processes.size();
            m_fingerprint = print;
        }
        return m_index;
    }
    /// Forces the index to be rebuilt on next use (after changing parents or orders by hand in a copy
    /// of a model snapshot).
    void invalidateIndex() {
        m_indexValid = false;
        m_maintained = false;
    }

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
        m_maintained = true;
        return m_index;
    }
    void indexSynced() { m_indexedSize = processes.size(); }
    /// What the index depends on (pids, parents, start orders), hashed.
    std::uint64_t fingerprint() const {
        std::uint64_t h = 1469598103934665603ull;
        for (const auto& [pid, r] : processes) {
            h = (h ^ pid) * 1099511628211ull;
            h = (h ^ r.parent) * 1099511628211ull;
            h = (h ^ r.startOrder) * 1099511628211ull;
        }
        return h;
    }

    mutable TreeIndex m_index;
    mutable bool m_indexValid = false;
    /// True for a snapshot whose index the SessionModel keeps (no fingerprint check needed).
    bool m_maintained = false;
    mutable std::size_t m_indexedSize = 0;
    mutable std::uint64_t m_fingerprint = 0;
};

} // namespace canopy::introspection
