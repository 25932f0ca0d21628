#pragma once
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/sample.h"
#include "introspection/tree_snapshot.h"
#include "introspection/wire_message.h"
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace canopy::introspection {

/// The observer's session model: a keyframe plus ordered deltas (and samples) -> the tree now.
/// The same code serves a live source and a file source. Detects sequence gaps (then it needs a
/// keyframe and ignores deltas until one arrives) and counts restarts per child slot.
class SessionModel {
public:
    /// What applying one message did.
    enum class Apply {
        Applied,     ///< the model changed
        Stale,       ///< a delta already reflected by the current keyframe (seq <= lastSeq); ignored
        Gap,         ///< sequence gap detected now: the model needs a keyframe
        NeedKeyframe,///< ignored because the model is waiting for a keyframe
        Ignored,     ///< not a model message (hello, welcome, command_result, ...)
    };

    /// Probe clock at session start; snapshot times are relative to it.
    void setStartNs(std::int64_t startNs) { m_startNs = startNs; }
    std::int64_t startNs() const { return m_startNs; }

    /// Starts from an empty tree that accepts the next delta whatever its seq (a stream recorded
    /// from the runtime's start with no keyframe).
    void assumeEmpty();
    /// Replaces the whole tree with the keyframe's (clears a pending gap).
    void applyKeyframe(const Keyframe& keyframe);
    /// Applies one delta in order; see Apply.
    Apply applyDelta(const Delta& delta);
    /// Updates mailbox lengths, handled counters and rates.
    void applySample(const Sample& sample);
    /// Dispatches keyframe / delta / sample; resync notices make the model wait for the keyframe.
    Apply apply(const WireMessage& message);

    /// True once a keyframe (or assumeEmpty) gave the model a base.
    bool hasBase() const { return m_hasBase; }
    /// True after a gap or resync notice until the next keyframe.
    bool needsKeyframe() const { return m_needKeyframe; }
    /// Seq of the last delta applied (or of the keyframe).
    std::uint64_t lastSeq() const { return m_snapshot.seq; }
    /// Probe clock of the last message applied.
    std::int64_t lastTimeNs() const { return m_lastTimeNs; }

    /// The tree now; its timeNs is relative to startNs().
    const TreeSnapshot& snapshot() const { return m_snapshot; }
    /// A copy of the tree with timeNs set to `sessionTimeNs`.
    TreeSnapshot snapshotAt(std::int64_t sessionTimeNs) const;
    /// A keyframe of the current tree (seq = lastSeq, time = lastTimeNs), for session writers.
    Keyframe makeKeyframe() const;

    /// Restarts of the child `childId` of `supervisor` seen so far.
    int restartsOf(std::uint64_t supervisor, const std::string& childId) const;
    /// Sequence gaps detected so far.
    std::uint64_t gaps() const { return m_gaps; }
    /// Deltas applied so far.
    std::uint64_t deltasApplied() const { return m_deltasApplied; }

private:
    using SlotKey = std::pair<std::uint64_t, std::string>;
    ProcessRecord& upsert(std::uint64_t pid);
    void mergeRecord(ProcessRecord& into, const ProcessRecord& from);
    void removeLink(std::uint64_t a, std::uint64_t b);
    void touch(std::int64_t timeNs);

    TreeSnapshot m_snapshot;
    std::int64_t m_startNs = 0;
    std::int64_t m_lastTimeNs = 0;
    bool m_hasBase = false;
    bool m_needKeyframe = false;
    bool m_acceptAnySeq = false;
    std::uint64_t m_nextOrder = 1;
    std::uint64_t m_gaps = 0;
    std::uint64_t m_deltasApplied = 0;
    std::map<SlotKey, int> m_restarts;
    std::map<SlotKey, std::string> m_lastExit;
};

} // namespace canopy::introspection
