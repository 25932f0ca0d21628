#pragma once
#include "introspection/change_set.h"
#include "introspection/session_state.h"
#include "introspection/tree_snapshot.h"
#include "views/model/change_batch.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace canopy::views {

/// Merges the change sets of a session into one ChangeBatch at a time (the worker cuts one at most
/// every 33 ms) and copies the records the GUI thread needs from the worker's model. Plain C++.
class ChangeBatchBuilder {
public:
    /// Appends one change set (ChangeSet::append: a reset replaces what was pending).
    void add(introspection::ChangeSet&& changes);
    /// Most records of processes whose counters alone changed in one batch; the others follow in the
    /// next batches (a resync's keyframe can change tens of thousands of mailboxes: applying them
    /// all at once cost the GUI a 40 ms frame).
    static constexpr std::size_t kMaxCounterRecords = 1000;

    /// True when change sets (or counters held back from the last batch) are waiting to be cut into a batch.
    bool pending() const { return m_pending || !m_heldCounters.empty(); }
    /// True when what is waiting changes the set of processes or slots (a layout is due).
    bool structureChanged() const { return m_pending && m_changes.structureChanged(); }
    /// Cuts the batch: the merged changes, the current records of every pid it names (all records for
    /// a reset) read from `tree`, and the totals. Clears what was pending (counters beyond
    /// kMaxCounterRecords stay pending).
    ChangeBatch take(const introspection::TreeSnapshot& tree, const introspection::SessionState& state);
    /// Drops what is pending (e.g. a seek replaces the tree the GUI will be given).
    void clear();

private:
    introspection::ChangeSet m_changes;
    bool m_pending = false;
    /// Processes whose counters changed, held back for the next batch (over kMaxCounterRecords).
    std::vector<std::uint64_t> m_heldCounters;
};

} // namespace canopy::views
