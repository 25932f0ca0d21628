#pragma once
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/probe/frame_log.h"
#include "introspection/result.h"
#include "introspection/session_header.h"
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {

/// The crash flight recorder: the last N events / S seconds in bounded memory, as two generations
/// (a base keyframe plus the deltas after it). When the current generation holds N events or is S
/// seconds old it becomes the previous one and a new base keyframe is taken, so at any moment at
/// least N events / S seconds are replayable, and memory is bounded by 2 keyframes + 2N deltas.
///
/// Each generation is kept as encoded frames (CBOR) in a FrameLog, so that when the program dies a
/// signal handler can write the ring with write(2) alone (writeFrames) — the frames of a session file
/// of format 1 that readers recover by scanning. An orderly dump (write) decodes the same frames into a
/// SessionWriter, which adds the final tree, the restart history and the index.
///
/// Mutations happen on one owner thread (the probe's Asio thread); freeze() and writeFrames() may be
/// called from any thread or signal handler.
class FlightRecorder {
public:
    /// maxEvents == 0 disables recording.
    FlightRecorder(std::size_t maxEvents, double seconds);

    bool enabled() const { return m_maxEvents > 0; }
    /// True when the current generation has its base keyframe.
    bool hasBase() const { return m_gen[current()].hasBase; }
    /// Appends an event: sets its seq to the recorder's next (consecutive over the recorder's life; a
    /// viewer renumbers it anyway) and keeps it encoded.
    void record(Delta& delta);
    /// True when the current generation has no base, is full, or is older than S seconds (with events).
    bool needsRebase(std::int64_t nowNs) const;
    /// Starts a new generation whose base is `keyframeFrame`: one encoded keyframe frame (CBOR) whose
    /// seq is seq(), taken at `timeNs`. The oldest generation is forgotten.
    void rebase(const std::vector<std::uint8_t>& keyframeFrame, std::int64_t timeNs);
    /// Events dropped: recorded before the first base, or that did not fit.
    std::uint64_t lost() const { return m_lost; }
    /// Events currently held.
    std::size_t size() const { return m_gen[0].events + m_gen[1].events; }
    /// Bytes of encoded frames currently held.
    std::size_t bytes() const { return m_gen[0].log.size() + m_gen[1].log.size(); }
    /// Time of the oldest base keyframe held (the recording's T = 0), 0 when none.
    std::int64_t startNs() const;
    /// Last seq assigned.
    std::uint64_t seq() const { return m_seq; }

    /// Writes the recording as a session file: header, oldest base keyframe, its deltas, the newer
    /// base, its deltas, and `finalFrame` (the tree at dump time, seq = last recorded). Owner thread.
    Status write(const std::string& path, const SessionHeader& header, Keyframe finalFrame) const;

    /// Any thread, async-signal-safe: stops the owner's changes for good (a change in progress on
    /// another thread is waited for, up to half a second) so the ring can be written as it is.
    void freeze() noexcept;
    /// Any thread, async-signal-safe (after freeze()): writes the frames of both generations, oldest
    /// first, to `fd`. False on a write error.
    bool writeFrames(int fd) const noexcept;

private:
    struct Generation {
        FrameLog log;
        std::size_t events = 0;
        bool hasBase = false;
        std::int64_t startNs = 0; ///< the base's time, or the first event's when there is no base
    };
    int current() const { return m_current.load(std::memory_order_acquire); }
    /// Owner: marks a change in progress; false when frozen (the change must be skipped).
    bool enter() noexcept;
    void leave() noexcept;

    std::size_t m_maxEvents;
    std::int64_t m_windowNs;
    std::uint64_t m_seq = 0;
    std::uint64_t m_lost = 0;
    Generation m_gen[2];
    std::atomic<int> m_current{0};
    std::atomic<bool> m_busy{false};
    std::atomic<bool> m_frozen{false};
    std::vector<std::uint8_t> m_scratch;
};

} // namespace canopy::introspection
