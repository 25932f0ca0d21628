#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <memory>
#include <vector>

namespace canopy::introspection {

/// One encoded frame, shareable between queues.
using FrameBytes = std::shared_ptr<const std::vector<std::uint8_t>>;

/// A viewer's bounded outgoing queue. Structural frames (deltas, replies) are kept in order and never
/// silently lost: when `limit` would be exceeded the queue is emptied, the loss is counted and the
/// queue asks for a resync (the caller then sends a ResyncNotice and a fresh keyframe). Samples do not
/// queue: the latest one replaces an unsent one.
class ViewerQueue {
public:
    /// `limit` = structural frames that may wait (at least 1).
    explicit ViewerQueue(std::size_t limit) : m_limit(limit ? limit : 1) {}

    /// Queues a structural frame; false when this overflowed the queue (it and the queue are dropped).
    bool pushStructural(FrameBytes frame);
    /// Queues a frame that must go out even in resync state (handshake replies, notices, keyframes).
    void pushControl(FrameBytes frame);
    /// Replaces the pending sample (latest wins).
    void setSample(FrameBytes frame);
    /// The next frame to write (control first, then structural in order; a pending sample goes out
    /// after at most one structural frame); null when empty.
    FrameBytes pop();
    /// True while nothing waits.
    bool empty() const { return m_control.empty() && m_structural.empty() && !m_sample; }
    /// Structural frames waiting.
    std::size_t size() const { return m_structural.size(); }
    /// Control frames waiting.
    std::size_t controlSize() const { return m_control.size(); }
    /// True after an overflow until clearResync().
    bool needsResync() const { return m_needsResync; }
    /// Marks the resync as done (the caller queued notice + keyframe).
    void clearResync() { m_needsResync = false; }
    /// Requests a resync without an overflow (e.g. the viewer asked for a keyframe).
    void requestResync() { m_needsResync = true; }
    /// Drops queued structural frames (a fresh keyframe supersedes them); returns how many.
    std::size_t discardStructural();
    /// Structural frames dropped by overflows since construction.
    std::uint64_t dropped() const { return m_dropped; }
    /// Overflows since construction.
    std::uint64_t overflows() const { return m_overflows; }
    /// Samples replaced before being sent.
    std::uint64_t coalescedSamples() const { return m_coalesced; }

private:
    std::size_t m_limit;
    std::deque<FrameBytes> m_control;
    std::deque<FrameBytes> m_structural;
    FrameBytes m_sample;
    bool m_sampleTurn = false;
    bool m_needsResync = false;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_overflows = 0;
    std::uint64_t m_coalesced = 0;
};

} // namespace canopy::introspection
