#pragma once
#include "introspection/change_set.h"
#include "introspection/child_slot_table.h"
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/keyframe_sink.h"
#include "introspection/keyframe_split.h"
#include "introspection/sample.h"
#include "introspection/supervisor_cache.h"
#include "introspection/tree_snapshot.h"
#include "introspection/wire_message.h"
#include <climits>
#include <cstddef>
#include <cstring>
#include <functional>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace canopy::introspection {

/// The observer's session model: a keyframe plus ordered deltas (and samples) -> the tree now.
/// The same code serves a live source and a file source. Detects sequence gaps (then it needs a
/// keyframe and ignores deltas until one arrives), keeps the history of every child slot
/// (supervisor + child id: restarts, last exit, its place among its siblings, whether it is a ghost),
/// keeps the child index current, and reports what each message changed as a ChangeSet.
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
    /// Ignores deltas until the next keyframe (a new connection whose sequence numbers start afresh).
    /// The tree and its history are kept, so that keyframe is diffed against them.
    void expectKeyframe() { m_needKeyframe = true; }

    /// Replaces the tree with the keyframe's (clears a pending gap). With `changes`: the first
    /// keyframe (no tree known) is a reset; a keyframe over a known tree reports only the real
    /// differences. The rvalue form reuses the keyframe's records (no copy per process).
    void applyKeyframe(const Keyframe& keyframe, ChangeSet* changes = nullptr);
    void applyKeyframe(Keyframe&& keyframe, ChangeSet* changes = nullptr);
    /// Applies one delta in order; see Apply. Fills `changes` (when given) with what it changed.
    Apply applyDelta(const Delta& delta, ChangeSet* changes = nullptr);
    /// Updates mailbox lengths, handled counters and rates.
    void applySample(const Sample& sample, ChangeSet* changes = nullptr);
    /// Dispatches keyframe / delta / sample; resync notices make the model wait for the keyframe.
    Apply apply(const WireMessage& message, ChangeSet* changes = nullptr);
    /// The same, moving a keyframe's records into the model.
    Apply apply(WireMessage&& message, ChangeSet* changes = nullptr);
    /// Moves the model's clock to session time `sessionTimeNs` when no message marks it (a replay
    /// position, or "now" on a live connection): supervisors' restart windows age (reported as
    /// `updated`). Never moves the clock back.
    void advanceTime(std::int64_t sessionTimeNs, ChangeSet* changes = nullptr);
    /// Becomes `other` (e.g. a model replayed to another moment by a seek), reporting in `changes`
    /// only the net differences between the two trees (a reset when this model had no tree).
    /// Keeps this model's startNs.
    void assignFrom(SessionModel&& other, ChangeSet* changes = nullptr);

    /// Loads a keyframe into a model with no tree yet (hasBase() false) record by record, as
    /// Codec::decodeKeyframeFrame decodes them: each record is decoded into its own node of the
    /// model's map (no Keyframe vector, no move per record). finish() with the keyframe's other
    /// fields (seq, time, slots, ghosts) completes it as applyKeyframe() would; a loader dropped
    /// unfinished leaves a model to discard. The model must not move while its loader lives.
    class KeyframeLoader final : public KeyframeSink {
    public:
        explicit KeyframeLoader(SessionModel& model);
        KeyframeLoader(const KeyframeLoader&) = delete;
        KeyframeLoader& operator=(const KeyframeLoader&) = delete;
        ProcessRecord& element() override;
        void commit(ProcessRecord& record) override;
        /// The side thread for big keyframes (see KeyframeSplit); nullptr: none.
        ElementSplit<ProcessRecord>* split() override { return m_split; }
        /// Lets `split`'s side thread decode the later records of a big keyframe (it must outlive
        /// the decode; finish() links its records here).
        void setSplit(KeyframeSplit* split);
        /// Takes a record already decoded elsewhere (applyKeyframe's path).
        void add(ProcessRecord&& record);
        /// Completes the model from the rest of the keyframe (its processes are ignored); fills
        /// `changes` (when given) with a reset.
        void finish(Keyframe&& rest, ChangeSet* changes = nullptr);

    private:
        using Map = std::map<std::uint64_t, ProcessRecord>;
        /// Order, printed pid, totals and child counts of a record about to enter the tree; false
        /// for a record with no pid.
        bool prepare(ProcessRecord& r);
        /// The insertion hint after `it` (end() without a climb when `it` is the last node).
        Map::iterator after(Map::iterator it) const;
        /// Links a decoded record's node (commit()'s work; the side thread's records come this way).
        void link(Map::node_type& node);
        KeyframeSplit* m_split = nullptr;
        SessionModel& m_model;
        Map m_spare;
        Map::node_type m_node;
        Map::iterator m_hint;
        std::int64_t m_total = 0;
        std::size_t m_countBefore = 0;
        std::int64_t m_mailboxBefore = 0;
        double m_rateBefore = 0;
        /// Children per supervisor, to size each supervisor's slot table once.
        std::unordered_map<std::uint64_t, std::size_t> m_children;
        SupervisorCache<std::size_t> m_childCounts;
    };

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
    /// A copy of the tree with timeNs set to `sessionTimeNs` (supervisors' restartsInWindow counted
    /// at that moment).
    TreeSnapshot snapshotAt(std::int64_t sessionTimeNs) const;
    /// A keyframe of the current tree (seq = lastSeq, time = lastTimeNs), with the slot history and
    /// the ghost slots, for session writers.
    Keyframe makeKeyframe() const;

    /// Restarts of the child `childId` of `supervisor` seen so far.
    int restartsOf(std::uint64_t supervisor, const std::string& childId) const;
    /// Restarts that `supervisor`'s intensity window counts at session time `sessionTimeNs` (OTP:
    /// restarts R with R >= Now - MaxSeconds, in whole seconds). Exact when the probe sent restart
    /// times (protocol 1.1); from older data, the last count reported, until it ages out. A supervisor
    /// that was restarted is a new process with a fresh window. 0 for unknown pids.
    int restartsInWindow(std::uint64_t supervisor, std::int64_t sessionTimeNs) const;
    /// Sequence gaps detected so far.
    std::uint64_t gaps() const { return m_gaps; }
    /// Deltas applied so far.
    std::uint64_t deltasApplied() const { return m_deltasApplied; }

private:
    /// A hash of the child id, eight bytes at a time (ids are short: "worker_12345").
    static std::size_t childIdHash(std::string_view childId) {
        std::uint64_t h = 0x9e3779b97f4a7c15ull ^ childId.size();
        const char* p = childId.data();
        std::size_t n = childId.size();
        for (; n >= 8; p += 8, n -= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
        if (n) {
            std::uint64_t w = 0;
            std::memcpy(&w, p, n);
            h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
        }
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ull;
        return std::size_t(h ^ (h >> 32));
    }
    /// What the model remembers about one child slot.
    struct Slot {
        int restarts = 0;
        std::string lastExit;
        /// The slot's place among its siblings (the startOrder of its first process).
        std::uint64_t order = 0;
        /// The running process (0 = none) and the last one that exited from the slot.
        std::uint64_t pid = 0;
        std::uint64_t lastPid = 0;
    };
    /// Hashed, per supervisor: a 100k-child keyframe looks up and creates 100k slots (a seek replays
    /// one); a supervisor's own table is small enough to stay in cache while its children go by
    /// (one flat table of 100k slots missed the cache on nearly every insertion). Open addressing
    /// over a dense vector: no node allocated per slot.
    using SupervisorSlots = ChildSlotTable<Slot>;
    using Slots = std::unordered_map<std::uint64_t, SupervisorSlots>;

    Slot* slotOf(std::uint64_t supervisor, std::string_view childId);
    Slot& slotFor(std::uint64_t supervisor, std::string_view childId);
    /// slotFor() within one supervisor's table (a keyframe's records come grouped by supervisor).
    static Slot& slotIn(SupervisorSlots& slots, std::string_view childId);
    /// Fills in what the model knows about a record entering the tree: printed pid, slot order,
    /// restart count, last exit reason; marks the slot running.
    void normalize(ProcessRecord& r);
    /// normalize()'s slot part (place among siblings, restarts, last exit, running pid).
    void normalizeSlot(ProcessRecord& r);
    /// normalizeSlot() with the record's supervisor's table already found; true when the record's
    /// start order changed (it takes its slot's place).
    static bool normalizeSlotIn(SupervisorSlots& slots, ProcessRecord& r);
    /// A keyframe's slot history into the slots (the last exit reasons are moved out of `stats`).
    void applySlotStats(std::vector<ChildSlotStats>& stats);
    /// What every keyframe ends with: the model has a base, its clock at `timeNs`.
    void keyframeApplied(std::int64_t timeNs, bool totalsMoved, ChangeSet* changes);
    /// Inserts a new process (index kept current); returns it.
    ProcessRecord& insertProcess(ProcessRecord&& r);
    /// Erases a process (index kept current); its record is moved into `changes` when given.
    void eraseProcess(std::map<std::uint64_t, ProcessRecord>::iterator it, const std::string& reason,
                      std::int64_t timeNs, ChangeSet* changes);
    /// Changes parent/startOrder of a record in the tree (index kept current).
    void reposition(ProcessRecord& r, std::uint64_t parent, std::uint64_t order);
    /// Merges a delta's record into an existing one (keeps what the delta does not say).
    bool mergeRecord(ProcessRecord& into, const ProcessRecord& from);
    /// A ghost slot for a static supervisor's child that left (not for temporary children).
    void addGhost(const ProcessRecord& r, const std::string& reason, ChangeSet* changes);
    void removeGhost(std::uint64_t supervisor, std::string_view childId, ChangeSet* changes);
    void keyframeMerge(Keyframe&& keyframe, ChangeSet* changes);
    void setGhosts(std::vector<ProcessRecord>&& ghosts, ChangeSet* changes);
    /// Supervisors' restartsInWindow recounted at the model's time (as the window ages).
    void ageWindows(ChangeSet* changes);
    void noteStamps(ProcessRecord& supervisor);
    void touch(std::int64_t timeNs, ChangeSet* changes);
    void finish(ChangeSet* changes) const;

    TreeSnapshot m_snapshot;
    std::int64_t m_startNs = 0;
    std::int64_t m_lastTimeNs = 0;
    std::int64_t m_agedAtSecond = INT64_MIN;
    bool m_hasBase = false;
    bool m_needKeyframe = false;
    bool m_acceptAnySeq = false;
    std::uint64_t m_nextOrder = 1;
    std::uint64_t m_gaps = 0;
    std::uint64_t m_deltasApplied = 0;
    Slots m_slots;
    /// Supervisors whose restart stamps are not empty (their windows age with time).
    std::unordered_set<std::uint64_t> m_stamped;
};

} // namespace canopy::introspection
