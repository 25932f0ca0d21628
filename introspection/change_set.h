#pragma once
#include "introspection/process_record.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace canopy::introspection {

/// A process that left the tree: its record as it was just before, and why it went.
struct ExitedProcess {
    ProcessRecord record;
    /// The exit reason in printed form ("normal", "shutdown", "{badarg,...}"); "" when not known
    /// (the process was missing from a keyframe applied over a known tree, e.g. after a resync).
    std::string reason;
    /// Session time of the exit (ns since the session's start).
    std::int64_t timeNs = 0;
};

/// A supervisor restarted one of its children: same slot (supervisor + child id), new pid.
struct RestartedChild {
    std::uint64_t supervisor = 0;
    std::string childId;
    /// The pid that exited (0 when the model never saw it) and the pid that replaced it.
    std::uint64_t oldPid = 0;
    std::uint64_t newPid = 0;
    /// The exit reason that caused the restart ("" when not known).
    std::string reason;
    /// Session time of the restart.
    std::int64_t timeNs = 0;
};

/// A process's registered name changed ("" = no name).
struct RenamedProcess {
    std::uint64_t pid = 0;
    std::string oldName;
    std::string newName;
};

/// A link (symmetric) or monitor (watcher -> watched) that appeared or went away.
struct LinkChange {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
};

/// A supervisor reached its restart intensity and gave up (it exits with reason `shutdown`, and its
/// own supervisor sees that exit: the escalation path is this supervisor and its ancestors).
struct SupervisorGiveUp {
    std::uint64_t supervisor = 0;
    /// The child whose exit was one restart too many.
    std::string childId;
    std::string reason;
    std::int64_t timeNs = 0;
};

/// What applying messages to a SessionModel changed. Views apply change sets; they never diff two
/// trees themselves. Pids refer to the model's tree after the change (except `exited`, which carries
/// the records as they were). Lists are in the order things happened; several change sets are
/// merged into one batch with append().
struct ChangeSet {
    /// True when the tree was replaced with nothing known before it (the first keyframe of a
    /// session, or a keyframe after the model was cleared): views rebuild without animating.
    /// A keyframe applied over a known tree (resync, reconnect, seek) is diffed instead: only real
    /// differences are reported and `reset` stays false.
    bool reset = false;
    /// Processes that appeared (including the new pid of a restarted child).
    std::vector<std::uint64_t> spawned;
    /// Processes that went away (including the old pid of a restarted child).
    std::vector<ExitedProcess> exited;
    /// Child slots whose supervisor restarted them (old -> new pid, same slot and sibling position).
    std::vector<RestartedChild> restarted;
    std::vector<RenamedProcess> renamed;
    std::vector<LinkChange> linked;
    std::vector<LinkChange> unlinked;
    std::vector<LinkChange> monitored;
    std::vector<LinkChange> demonitored;
    /// Processes whose mailbox length or handled count changed (samples, keyframes).
    std::vector<std::uint64_t> countersChanged;
    /// Processes with any other field changed (status, parent, kind, a supervisor's strategy or
    /// restart window, child id, ...).
    std::vector<std::uint64_t> updated;
    /// Static supervisors whose set of child slots changed (a slot appeared, or a child that is not
    /// running became a ghost slot / left the supervisor's table).
    std::vector<std::uint64_t> slotsChanged;
    std::vector<SupervisorGiveUp> gaveUp;
    /// Process count, total mailbox or message rate changed.
    bool totalsChanged = false;
    /// Session time and seq of the model after the change.
    std::int64_t timeNs = 0;
    std::uint64_t seq = 0;

    /// True when nothing changed.
    bool empty() const {
        return !reset && spawned.empty() && exited.empty() && restarted.empty() && renamed.empty() &&
               linked.empty() && unlinked.empty() && monitored.empty() && demonitored.empty() &&
               countersChanged.empty() && updated.empty() && slotsChanged.empty() && gaveUp.empty() &&
               !totalsChanged;
    }
    /// True when the set of processes or slots (not just counters) changed: a layout is due.
    bool structureChanged() const {
        return reset || !spawned.empty() || !exited.empty() || !restarted.empty() || !slotsChanged.empty();
    }
    /// Appends a later change set (batching): lists concatenate in order; a `reset` in `later`
    /// makes the batch a reset whose lists are `later`'s alone.
    void append(ChangeSet&& later) {
        if (later.reset) {
            *this = std::move(later);
            return;
        }
        auto cat = [](auto& into, auto& from) {
            into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
        };
        cat(spawned, later.spawned);
        cat(exited, later.exited);
        cat(restarted, later.restarted);
        cat(renamed, later.renamed);
        cat(linked, later.linked);
        cat(unlinked, later.unlinked);
        cat(monitored, later.monitored);
        cat(demonitored, later.demonitored);
        cat(countersChanged, later.countersChanged);
        cat(updated, later.updated);
        cat(slotsChanged, later.slotsChanged);
        cat(gaveUp, later.gaveUp);
        totalsChanged = totalsChanged || later.totalsChanged;
        timeNs = later.timeNs;
        seq = later.seq;
    }
};

} // namespace canopy::introspection
