#pragma once
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/result.h"
#include "introspection/session_header.h"
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace canopy::introspection {

/// The crash flight recorder: the last N events / S seconds in bounded memory, as two generations
/// (a base keyframe plus the deltas after it). When the current generation holds N events or is S
/// seconds old it becomes the previous one and a new base keyframe is taken, so at any moment at
/// least N events / S seconds are replayable, and memory is bounded by 2 keyframes + 2N deltas.
/// Not thread-safe: the probe's Asio thread owns it.
class FlightRecorder {
public:
    /// maxEvents == 0 disables recording.
    FlightRecorder(std::size_t maxEvents, double seconds);

    bool enabled() const { return m_maxEvents > 0; }
    /// True when no base keyframe was taken yet (the first rebase is due).
    bool hasBase() const { return m_current.base.has_value(); }
    /// Appends an event (its seq is assigned here; consecutive over the recorder's life).
    void record(Delta delta);
    /// True when the current generation is full or older than S seconds (and has events).
    bool needsRebase(std::int64_t nowNs) const;
    /// Starts a new generation with this base (its seq is set to the last recorded seq).
    void rebase(Keyframe base);
    /// Events dropped because two generations could not hold them (between rebases).
    std::uint64_t lost() const { return m_lost; }
    /// Events currently held.
    std::size_t size() const { return m_previous.events.size() + m_current.events.size(); }
    /// Time of the oldest base keyframe held (the recording's T = 0), 0 when none.
    std::int64_t startNs() const {
        if (m_previous.base) return m_previous.base->timeNs;
        return m_current.base ? m_current.base->timeNs : 0;
    }
    /// Last seq assigned.
    std::uint64_t seq() const { return m_seq; }

    /// Writes the recording as a session file: header, oldest base keyframe, its deltas, the newer
    /// base, its deltas, and `finalFrame` (the tree at dump time, seq = last recorded).
    Status write(const std::string& path, const SessionHeader& header, Keyframe finalFrame) const;

private:
    struct Generation {
        std::optional<Keyframe> base;
        std::deque<Delta> events;
        std::int64_t startNs = 0;
    };
    std::size_t m_maxEvents;
    std::int64_t m_windowNs;
    std::uint64_t m_seq = 0;
    std::uint64_t m_lost = 0;
    Generation m_previous;
    Generation m_current;
};

} // namespace canopy::introspection
