#pragma once
#include "introspection/change_set.h"
#include "introspection/tree_snapshot.h"
#include "views/model/process_history.h"
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace canopy::views {

/// The recent past the inspector shows, kept by the session worker from the change sets it applies:
/// mailbox lengths per process (bounded ring, bounded number of processes) and the recent starts,
/// exits, restarts and give-ups of each child slot (supervisor + child id; dynamic children share
/// their supervisor's "" slot, which is what a herd shows), and the mailbox growth alarm: a mailbox of
/// at least kGrowthMinLength messages that rose by kGrowthMinRate messages/s or more over the last
/// kGrowthWindowNs (seen over kGrowthMinSpanNs at least) without falling back by half the rise — a
/// consumer that does not keep up, not a burst being drained. Plain C++.
class HistoryTracker {
public:
    /// Mailbox samples kept per process, processes tracked, events kept per slot.
    static constexpr std::size_t kMaxSamples = 120;
    static constexpr std::size_t kMaxTrackedPids = 20000;
    static constexpr std::size_t kMaxSlotEvents = 64;
    /// Window of the herd rates (spawns and exits per second).
    static constexpr std::int64_t kRateWindowNs = 10'000'000'000;
    /// The mailbox growth alarm (see above).
    static constexpr std::int64_t kGrowthMinLength = 100;
    static constexpr double kGrowthMinRate = 10.0;
    static constexpr std::int64_t kGrowthWindowNs = 5'000'000'000;
    static constexpr std::int64_t kGrowthMinSpanNs = 2'000'000'000;
    /// At most this many growing mailboxes are reported (the fastest).
    static constexpr std::size_t kMaxGrowing = 100;

    /// Forgets everything (a reset or a seek that jumps).
    void clear();
    /// Records what one change set did; `tree` is the model after it.
    void addChanges(const introspection::ChangeSet& changes, const introspection::TreeSnapshot& tree);
    /// The history of one process at `nowNs` (its mailbox samples, its slot's events).
    ProcessHistory processHistory(std::uint64_t pid, const introspection::TreeSnapshot& tree, std::int64_t nowNs) const;
    /// The mailboxes growing at the time of the last change set, fastest first.
    std::vector<MailboxGrowth> growingMailboxes() const;
    /// How fast `pid`'s mailbox grows at `nowNs` (messages/s; 0 = not growing).
    double mailboxGrowth(std::uint64_t pid, std::int64_t nowNs) const;
    /// The history of a child slot with no running process (a ghost).
    ProcessHistory slotHistory(std::uint64_t supervisor, const std::string& childId, std::int64_t nowNs) const;
    /// The history of a herd (its members' mailbox sum, their slot events, rates and exit reasons).
    ProcessHistory herdHistory(const std::vector<std::uint64_t>& members, const introspection::TreeSnapshot& tree,
                               std::int64_t nowNs) const;

private:
    using SlotKey = std::pair<std::uint64_t, std::string>;
    void addEvent(const SlotKey& key, SlotEvent event);
    void sampleMailbox(std::uint64_t pid, std::int64_t timeNs, std::int64_t length);
    static void fillRates(ProcessHistory& history, std::int64_t nowNs);

    std::unordered_map<std::uint64_t, std::deque<MailboxSample>> m_mailboxes;
    /// Pids whose mailbox was growing at the last change set, with the rate.
    std::unordered_map<std::uint64_t, double> m_growing;
    std::map<SlotKey, std::deque<SlotEvent>> m_slots;
};

} // namespace canopy::views
