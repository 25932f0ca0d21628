#pragma once
// The inspector's input beside the ProcessRecord (plain C++, no Qt): the recent past of the
// selected process and of its child slot, prepared by the session worker.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace canopy::views {

/// A mailbox length at one moment.
struct MailboxSample {
    /// Session time (ns since the session's start).
    std::int64_t tNs = 0;
    std::int64_t length = 0;
};

/// A mailbox that keeps growing (HistoryTracker's growth alarm).
struct MailboxGrowth {
    std::uint64_t pid = 0;
    /// Its length now and how fast it grew over the alarm's window (messages per second).
    std::int64_t length = 0;
    double perSecond = 0.0;
    bool operator==(const MailboxGrowth&) const = default;
};

/// Something that happened to a child slot (supervisor + child id) or a herd member.
struct SlotEvent {
    enum class Kind {
        Started,   ///< the slot's process was started (pid)
        Exited,    ///< the slot's process exited (pid, reason)
        Restarted, ///< the supervisor restarted the slot (oldPid -> pid, reason = why the old one went)
        GaveUp,    ///< the supervisor gave up on this slot (reason)
    };
    /// Session time of the event.
    std::int64_t tNs = 0;
    Kind kind = Kind::Started;
    /// The process started / exited, or the new pid of a restart (0 = none).
    std::uint64_t pid = 0;
    /// Printed `pid` (e.g. `<0.42.0>`); empty = derived from pid.
    std::string pidText;
    /// Restarted: the pid that exited (0 = unknown).
    std::uint64_t oldPid = 0;
    std::string oldPidText;
    /// Exit reason in printed form ("" = not known / not applicable).
    std::string reason;
};

/// The recent past of one selection, oldest first. Everything is optional: an empty history shows
/// the record's own fields only.
struct ProcessHistory {
    /// Session time "now" (the cursor), for "3.2 s ago" and "not running since ...".
    std::int64_t nowNs = 0;
    /// The selected process's mailbox length over time (a herd: the members' sum).
    std::vector<MailboxSample> mailbox;
    /// Messages per second its mailbox keeps growing by (0 = not growing; HistoryTracker's alarm).
    double mailboxGrowthPerSecond = 0.0;
    /// Recent events of the selection's child slot (a herd: of its members), oldest first.
    std::vector<SlotEvent> slotEvents;

    /// Herds: member spawns and exits per second over the recent window.
    double spawnsPerSecond = 0.0;
    double exitsPerSecond = 0.0;
    /// Herds: exit reasons of recent member exits and how often each occurred, most frequent first.
    std::vector<std::pair<std::string, int>> exitReasons;

    /// Ghost slots (a child that is not running): when its last process went (-1 = unknown; else
    /// taken from the last Exited / Restarted event).
    std::int64_t notRunningSinceNs = -1;
};

} // namespace canopy::views
