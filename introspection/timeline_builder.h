#pragma once
#include "introspection/give_up_event.h"
#include "introspection/session_index.h"
#include "introspection/timeline_summary.h"
#include "introspection/wire_message.h"
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace canopy::introspection {

/// Builds a session's timeline (one TimelineSummary per keyframe interval, and the list of
/// supervisor give-ups) from its messages in file order, without a session model: SessionWriter
/// feeds it what it writes, and SessionReader what its recovery scan reads (so both give the same
/// summaries). Process counts come from a set of live pids kept from keyframes, spawns and exits.
class TimelineBuilder {
public:
    /// Feeds one message (keyframes start a new interval; deltas and samples extend the current one).
    void add(const WireMessage& message);
    /// Feeds a keyframe. `sameTree`: its processes are exactly the ones already tracked (a keyframe
    /// the writer made from its own model), so the pid set need not be rebuilt.
    void addKeyframe(const Keyframe& keyframe, bool sameTree = false);
    void addDelta(const Delta& delta);
    void addSample(const Sample& sample);
    /// The summaries so far, the open interval included.
    std::vector<TimelineSummary> summaries() const;
    /// Every give-up so far, in file order.
    const std::vector<GiveUpEvent>& giveUps() const { return m_giveUps; }
    /// Stores summaries and give-ups into `index` (incrementally: `index` must hold only what this
    /// builder filled in before).
    void fill(SessionIndex& index) const;

private:
    void open(std::int64_t timeNs);
    void extend(std::int64_t timeNs);
    void count();

    std::unordered_set<std::uint64_t> m_live;
    std::vector<TimelineSummary> m_done;
    TimelineSummary m_current;
    bool m_open = false;
    std::vector<GiveUpEvent> m_giveUps;
};

} // namespace canopy::introspection
