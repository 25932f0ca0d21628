#pragma once
#include "introspection/result.h"
#include "introspection/session_header.h"
#include "introspection/session_index.h"
#include "introspection/session_model.h"
#include "introspection/tree_snapshot.h"
#include "introspection/wire_message.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace canopy::introspection {

/// Reads a `.canopy` session file (memory-mapped): header, index, seek to any moment, iteration.
/// A file with no valid index (writer crashed) is recovered by scanning; a truncated or corrupt
/// tail is read up to the last good frame and reported in warnings() with its byte offset.
class SessionReader {
public:
    SessionReader();
    ~SessionReader();
    SessionReader(const SessionReader&) = delete;
    SessionReader& operator=(const SessionReader&) = delete;

    /// Opens and validates `path` (magic, header); loads or rebuilds the index.
    Status open(const std::string& path);
    /// Same over bytes in memory (`name` is used in messages), e.g. for fuzzing.
    Status openBytes(std::vector<std::uint8_t> bytes, const std::string& name = "<memory>");
    /// Opens a session file a SessionWriter is still writing (flushed up to `dataEnd`): the writer's
    /// in-memory `index` is used as is (no trailer expected, nothing scanned).
    Status openGrowing(const std::string& path, const SessionIndex& index, std::uint64_t dataEnd);

    const SessionHeader& header() const { return m_header; }
    /// Keyframe positions in time order.
    const std::vector<IndexEntry>& index() const { return m_index.entries; }
    /// Totals from the index (recomputed when the index was rebuilt).
    const SessionIndex& sessionIndex() const { return m_index; }
    /// Probe clock of the session's start and of its last event.
    std::int64_t startNs() const { return m_header.startNs; }
    std::int64_t endNs() const { return m_index.endNs; }
    /// Session length in ns (end - start, >= 0).
    std::int64_t durationNs() const;
    /// True when the index was rebuilt by scanning (file not closed cleanly).
    bool indexRebuilt() const { return m_indexRebuilt; }
    /// Problems met so far, one line each, naming the byte offset (e.g. truncated tail).
    const std::vector<std::string>& warnings() const { return m_warnings; }
    /// Offset of the first frame after the header, and the end of the readable frames.
    std::uint64_t dataBegin() const { return m_dataBegin; }
    std::uint64_t dataEnd() const { return m_dataEnd; }

    /// Decodes the message at `offset` and advances it past the frame. Returns false at dataEnd()
    /// or on a bad frame (a warning naming the offset is recorded). With a valid index, frames after a
    /// corrupt one stay reachable through later keyframes; without one, dataEnd() is the first bad frame.
    bool readAt(std::uint64_t& offset, WireMessage& out);
    /// Like readAt(), but steps over a frame whose payload is corrupt while its length is sound
    /// (warning naming its offset); false at the end, or at a truncated or unreadable frame header.
    /// `at` is set to the offset of the message returned.
    bool readNext(std::uint64_t& offset, WireMessage& out, std::uint64_t& at);
    /// Calls `visit(message, offset)` for every message from `offset` until the end or until
    /// `visit` returns false (corrupt frames are stepped over as readNext() does).
    void forEach(std::uint64_t offset, const std::function<bool(const WireMessage&, std::uint64_t)>& visit);

    /// The tree at session time `sessionTimeNs` (ns since start): binary search of the index for the
    /// last keyframe at or before it, then deltas up to it. Times past the end give the final tree;
    /// times before a recording's first keyframe give that keyframe's tree. A corrupt keyframe is
    /// replaced by the previous good one and the deltas after it (warning naming both offsets); an
    /// error says so when nothing readable precedes the moment, or the file holds no keyframe and no
    /// event — an empty tree is never returned in place of one that could not be read.
    Result<TreeSnapshot> snapshotAt(std::int64_t sessionTimeNs);
    /// Like snapshotAt(), but fills `model` and returns the offset where replay stopped (the first
    /// message later than the requested time), so callers can keep iterating.
    Result<std::uint64_t> seek(std::int64_t sessionTimeNs, SessionModel& model);

    /// The session's timeline: one summary per keyframe interval, in time order (times on the probe
    /// clock: subtract startNs() for session time). Read from the index; files written before the
    /// timeline existed (session 2 and older, formats 1 and 2) have none there, and the first call
    /// computes it by scanning the whole file (seconds for an hour of recording; timelineInIndex()
    /// tells which). A rebuilt index (crashed writer) has it from the recovery scan.
    const std::vector<TimelineSummary>& timeline();
    /// Every supervisor give-up of the session, in time order (from the index, or the same scan).
    const std::vector<GiveUpEvent>& giveUps();
    /// True when the timeline came with the file (no scan needed).
    bool timelineInIndex() const { return m_timelineInIndex; }
    /// Calls `visit(message, offset)` for the deltas, samples and resync notices with session time in
    /// [t0, t1] (keyframes too when `keyframes`), in file order, without building a model: starts at
    /// the last keyframe at or before t0 and steps over keyframes without decoding them. Stops
    /// when `visit` returns false.
    void forEachInRange(std::int64_t t0, std::int64_t t1,
                        const std::function<bool(const WireMessage&, std::uint64_t)>& visit, bool keyframes = false);
    /// Session time of the first abnormal exit (crash) after `sessionTimeNs`, found through the
    /// timeline (only the interval holding it is read); nullopt when there is none.
    std::optional<std::int64_t> nextAbnormalExitAfter(std::int64_t sessionTimeNs);
    /// Session time of the last abnormal exit before `sessionTimeNs`; nullopt when there is none.
    std::optional<std::int64_t> previousAbnormalExitBefore(std::int64_t sessionTimeNs);

private:
    /// What reading one frame gave.
    enum class FrameStatus {
        Ok,        ///< a message
        End,       ///< at dataEnd()
        Truncated, ///< the data ends inside the frame
        Corrupt,   ///< a sound frame header, a payload that does not decode (can be stepped over)
        Broken,    ///< an impossible frame header (nothing after it can be located)
    };
    /// Reads the frame at `offset` into `out`. With `sink`, a keyframe's records go to it as they are
    /// decoded (`out` holds the rest of the keyframe); on an error it may have taken some.
    FrameStatus readFrame(std::uint64_t offset, WireMessage& out, std::size_t& frameSize, std::string& why,
                          KeyframeSink* sink = nullptr);
    void warnFrame(FrameStatus status, std::uint64_t offset, const std::string& why, const std::string& consequence);
    Status mapFile(const std::string& path);
    Status init(const std::string& name, const SessionIndex* given = nullptr, std::uint64_t givenEnd = 0);
    bool loadIndexFromTrailer();
    void rebuildIndex();
    /// Size of the frame at `offset` from its header alone (0 when it cannot be read).
    std::size_t frameSizeAt(std::uint64_t offset) const;
    void warn(std::string line);
    static std::int64_t messageTime(const WireMessage& m);

    std::string m_name;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
    void* m_map = nullptr;
    std::vector<std::uint8_t> m_bytes;
    SessionHeader m_header;
    SessionIndex m_index;
    bool m_indexRebuilt = false;
    bool m_timelineInIndex = false;
    bool m_timelineReady = false;
    std::uint64_t m_dataBegin = 0;
    std::uint64_t m_dataEnd = 0;
    std::vector<std::string> m_warnings;
};

} // namespace canopy::introspection
