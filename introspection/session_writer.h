#pragma once
#include "introspection/encoding.h"
#include "introspection/result.h"
#include "introspection/session_header.h"
#include "introspection/session_index.h"
#include "introspection/session_model.h"
#include "introspection/timeline_builder.h"
#include "introspection/wire_message.h"
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace canopy::introspection {

/// Writes a `.canopy` session file: header, frames, periodic keyframes, and the index at close().
/// Not thread-safe (one writer thread). Keeps its own SessionModel so it can emit keyframes by
/// itself (every `keyframeIntervalNs` of session time or `keyframeEveryDeltas` deltas).
class SessionWriter {
public:
    /// Writer settings.
    struct Options {
        /// Payload encoding of the frames in the file.
        Encoding encoding = Encoding::Cbor;
        /// Emit a keyframe from the writer's model after this much probe time since the last one...
        std::int64_t keyframeIntervalNs = 10'000'000'000;
        /// ...or after this many deltas (0 disables automatic keyframes entirely)...
        std::uint64_t keyframeEveryDeltas = 10'000;
        /// ...or once the deltas written since the last keyframe take this many times its size (at
        /// least 64 KiB; decoded sizes): bounds a seek's replay cost by about one keyframe decode
        /// (0 = off).
        double keyframeBytesRatio = 1.0;
        /// Compress every frame after the header (frame flag 0x10; the file is then format 2, which
        /// readers before this option cannot open). About 4× smaller files; each frame still
        /// decodes on its own, so seeking and truncation recovery are unchanged.
        bool compress = true;
        /// Flush buffered bytes to the OS at most this long after a write (and at every keyframe).
        std::chrono::milliseconds flushInterval{200};
    };

    SessionWriter() = default;
    SessionWriter(const SessionWriter&) = delete;
    SessionWriter& operator=(const SessionWriter&) = delete;
    /// Closes the file (writing the index) if still open.
    ~SessionWriter();

    /// Creates/truncates `path` and writes the magic and `header`.
    Status open(const std::string& path, const SessionHeader& header, Options options);
    Status open(const std::string& path, const SessionHeader& header) { return open(path, header, Options{}); }
    /// Appends keyframes, deltas, samples and resync notices (other messages are ignored, return ok).
    /// Deltas written before any keyframe are taken as starting from an empty tree.
    Status write(const WireMessage& message);
    /// Appends a keyframe (indexed), enriched with the restart history the writer has seen.
    Status writeKeyframe(const Keyframe& keyframe);
    /// Writes the index frame and trailer, and closes. Safe to call twice.
    Status close();

    /// True between a successful open() and close().
    bool isOpen() const { return m_file != nullptr; }
    /// Bytes written so far.
    std::uint64_t bytesWritten() const { return m_offset; }
    /// Index so far: keyframe positions, totals, and the timeline of everything written.
    const SessionIndex& index() const { return m_index; }
    /// Forces buffered bytes to the OS.
    void flush();

private:
    /// Encodes (a Keyframe without copying it into a WireMessage), compresses, writes.
    template <class M>
    Status writeFrame(const M& message);
    /// `fromModel`: the keyframe was made from m_model (same processes as the timeline tracks).
    /// Its slot list is first reduced to what the records do not tell (dropSlotsOfLiveRecords).
    Status writeKeyframeInternal(Keyframe&& keyframe, bool fromModel);
    /// Drops the `slots` entries whose child runs, with a record carrying the same restart count and
    /// last exit: a reader's model takes those from the record. A 100k-process hour after many
    /// restarts otherwise writes (and a seek decodes and applies) every slot twice.
    static void dropSlotsOfLiveRecords(Keyframe& keyframe);

    std::FILE* m_file = nullptr;
    std::string m_path;
    Options m_options;
    std::uint64_t m_offset = 0;
    SessionIndex m_index;
    SessionModel m_model;
    TimelineBuilder m_timeline;
    std::int64_t m_lastKeyframeNs = 0;
    std::uint64_t m_deltasSinceKeyframe = 0;
    std::uint64_t m_bytesSinceKeyframe = 0;
    std::uint64_t m_lastKeyframeBytes = 0;
    std::chrono::steady_clock::time_point m_lastFlush{};
    bool m_dirty = false;
    std::vector<std::uint8_t> m_buffer;
    std::vector<std::uint8_t> m_packed; ///< the compressed frame, when compressing
    std::uint64_t m_lastFrameRawBytes = 0; ///< the last frame's size before compression
};

} // namespace canopy::introspection
