#pragma once
// CONTRACT (session 3): what the session worker thread posts to the GUI thread, at most every
// 33 ms. Plain C++ (no Qt) so it can be built and tested anywhere; the GUI thread applies it to its
// item models and to the tree canvas and never touches the Session itself.
#include "introspection/change_set.h"
#include "introspection/process_record.h"
#include "introspection/session_state.h"
#include "views/model/process_history.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace canopy::views {

/// One batch of changes for the GUI: the merged change sets of up to 33 ms of session, plus copies of
/// the records the GUI needs to apply them (it cannot read the worker's model).
struct ChangeBatch {
    /// Merged change sets (ChangeSet::append), in order.
    introspection::ChangeSet changes;
    /// Current records of every pid in changes.spawned, changes.updated, changes.countersChanged and
    /// the new pids of changes.restarted (each pid once; pids that exited again within the batch are
    /// absent). When changes.reset is true: every process of the tree.
    std::vector<introspection::ProcessRecord> records;
    /// records[countersOnlyFrom..] are processes that only changed their counters (mailbox length,
    /// messages handled, reductions) since the batch before: a view that has them may copy just
    /// those. The default: none.
    std::size_t countersOnlyFrom = SIZE_MAX;
    /// The session's state when the batch was cut.
    introspection::SessionState state;
    /// Totals of the model after the batch.
    std::uint64_t processCount = 0;
    std::int64_t totalMailbox = 0;
    double messageRate = 0.0;
    /// Session time of the model after the batch (ns since the session's start); for live sessions
    /// also the newest session time known (durationNs), so a timeline can extend.
    std::int64_t timeNs = 0;
    std::int64_t durationNs = 0;
    /// Live: deltas per second and the age of the last sample.
    double eventsPerSecond = 0.0;
    std::int64_t sampleAgeNs = 0;
    /// True when the batch comes from a seek or replay step rather than the live stream.
    bool replay = false;
    /// True when the batch lands a jump (a seek away from the moment shown, not a step forward): the
    /// tree is shown as it is there, in one state. Views run no effects for the changes in between,
    /// only for exits, restarts and give-ups recent enough to be still showing there (at their age).
    bool jump = false;
    /// True when the probe accepts commands (live, connected, commands enabled).
    bool commandsEnabled = false;
    /// Live sessions: true while the view shows an earlier moment of the recording (the user scrubbed
    /// back); false when it follows the live stream.
    bool reviewing = false;
    /// True for a live session (a file otherwise).
    bool live = false;
    /// Mailboxes that keep growing (HistoryTracker's alarm), fastest first.
    std::vector<MailboxGrowth> growingMailboxes;
};

} // namespace canopy::views
