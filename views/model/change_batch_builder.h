#pragma once
#include "introspection/change_set.h"
#include "introspection/session_state.h"
#include "introspection/tree_snapshot.h"
#include "views/model/change_batch.h"
#include <cstdint>

namespace canopy::views {

/// Merges the change sets of a session into one ChangeBatch at a time (the worker cuts one at most
/// every 33 ms) and copies the records the GUI thread needs from the worker's model. Plain C++.
class ChangeBatchBuilder {
public:
    /// Appends one change set (ChangeSet::append: a reset replaces what was pending).
    void add(introspection::ChangeSet&& changes);
    /// True when change sets are waiting to be cut into a batch.
    bool pending() const { return m_pending; }
    /// True when what is waiting changes the set of processes or slots (a layout is due).
    bool structureChanged() const { return m_pending && m_changes.structureChanged(); }
    /// Cuts the batch: the merged changes, the current records of every pid it names (all records for
    /// a reset) read from `tree`, and the totals. Clears what was pending.
    ChangeBatch take(const introspection::TreeSnapshot& tree, const introspection::SessionState& state);
    /// Drops what is pending (e.g. a seek replaces the tree the GUI will be given).
    void clear();

private:
    introspection::ChangeSet m_changes;
    bool m_pending = false;
};

} // namespace canopy::views
