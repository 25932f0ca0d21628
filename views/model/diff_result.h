#pragma once
#include "introspection/process_record.h"
#include "views/model/diff_entry.h"
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::views {

/// What the session worker answers to a diff request: the listing the diff panel shows, plus what
/// the tree needs to draw it as an overlay (the records of removed processes, for their ghosts).
struct DiffResult {
    /// The changes, as `canopyctl diff` lists them.
    DiffListing listing;
    /// Records (at moment A) of the processes that were removed by moment B.
    std::vector<introspection::ProcessRecord> removed;
    /// Per removed record: its parent's path at moment A (the DiagramNode id of the parent's slot,
    /// which stays the same when the parent restarted in between and has a new pid).
    std::vector<std::string> removedParentPaths;
    /// The two moments (session times, ns); bNs is the other file's when `otherFile`.
    std::int64_t aNs = 0;
    std::int64_t bNs = 0;
    /// True when B is a moment of another session file (the tree cannot show B then).
    bool otherFile = false;
};

} // namespace canopy::views
