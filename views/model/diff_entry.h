#pragma once
// One line of a diff between two trees (plain C++, no Qt): what DiffModel shows. The same content
// as `canopyctl diff` prints and the core's SnapshotDiff holds (DiffModel converts from it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::views {

/// What changed about one process / child slot between moment A and moment B.
enum class DiffCategory {
    Added,     ///< only in B
    Removed,   ///< only in A (drawn as a ghost on the tree)
    Restarted, ///< same slot, new pid or more restarts
    Mailbox,   ///< same process, mailbox length changed
};

/// One changed process. A restarted process whose mailbox also changed appears twice (once per
/// category), as `canopyctl diff` lists it.
struct DiffEntry {
    DiffCategory category = DiffCategory::Added;
    /// Path of child ids / names from the root (`Todo.Supervisor/Todo.Cache`), as canopyctl prints.
    std::string path;
    /// Pids (numbers for selection, text for display); 0 / "" on the side where it does not exist.
    std::uint64_t pidBefore = 0;
    std::uint64_t pidAfter = 0;
    std::string pidTextBefore;
    std::string pidTextAfter;
    int restartsBefore = 0;
    int restartsAfter = 0;
    std::int64_t mailboxBefore = 0;
    std::int64_t mailboxAfter = 0;

    /// The pid to select on the tree: B's when it exists there, else A's.
    std::uint64_t pid() const { return pidAfter ? pidAfter : pidBefore; }
};

/// A whole diff: what was compared, the sizes of both trees, and the changes.
struct DiffListing {
    /// How A and B are described (`00:12`, `run.canopy @ 01:30`).
    std::string labelA;
    std::string labelB;
    std::size_t countA = 0;
    std::size_t countB = 0;
    /// Changes, in canopyctl's order (removed, added, restarted / mailbox).
    std::vector<DiffEntry> entries;
};

} // namespace canopy::views
