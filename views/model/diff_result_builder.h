#pragma once
#include "introspection/result.h"
#include "introspection/tree_snapshot.h"
#include "views/model/diff_result.h"
#include <string>

namespace canopy::views {

/// Turns two trees into the DiffResult the app shows, through the observer core's SnapshotDiff (the
/// same comparison `canopyctl diff` prints): removed, added, restarted and mailbox entries in
/// canopyctl's order, and the removed processes' records for the tree's ghosts.
class DiffResultBuilder {
public:
    /// Compares `a` (earlier) with `b`; `sameSession` when pids are comparable. Labels name the moments.
    static introspection::Result<DiffResult> build(const introspection::TreeSnapshot& a, const introspection::TreeSnapshot& b,
                                                   bool sameSession, std::string labelA, std::string labelB);
};

} // namespace canopy::views
