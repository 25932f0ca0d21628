#pragma once
#include "introspection/tree_snapshot.h"
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {

/// What changed between two trees — two moments of one session, or two sessions: processes added and
/// removed, child slots restarted, mailbox lengths that moved. Processes are matched by pid within
/// one session, else by path (ProcessPaths). "Restarted" means a supervisor started the same static
/// child slot again: within one session, a slot running another pid; across sessions, a slot whose
/// restart count grew. A dynamic child that was retired and a new one started are removed + added.
class SnapshotDiff {
public:
    /// A process on one side only.
    struct Process {
        std::uint64_t pid = 0;
        std::string pidText;
        std::string path;
    };
    /// A child slot its supervisor restarted between the two moments.
    struct Restart {
        std::string path;
        std::uint64_t pidBefore = 0;
        std::uint64_t pidAfter = 0;
        std::string pidTextBefore;
        std::string pidTextAfter;
        int restartsBefore = 0;
        int restartsAfter = 0;
    };
    /// A matched process whose mailbox length changed.
    struct MailboxChange {
        std::string path;
        std::uint64_t pid = 0;
        std::int64_t before = 0;
        std::int64_t after = 0;
    };

    /// Processes only in the second tree, only in the first, restarted slots, mailbox changes; each
    /// list in path order.
    std::vector<Process> added;
    std::vector<Process> removed;
    std::vector<Restart> restarted;
    std::vector<MailboxChange> mailbox;

    /// Compares `before` with `after`; `sameSession` when both come from one session (pids comparable).
    static SnapshotDiff between(const TreeSnapshot& before, const TreeSnapshot& after, bool sameSession);
    /// True when nothing was added, removed or restarted (mailboxes aside).
    bool structureUnchanged() const { return added.empty() && removed.empty() && restarted.empty(); }
};

} // namespace canopy::introspection
