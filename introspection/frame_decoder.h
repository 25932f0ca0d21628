#pragma once
#include "introspection/frame.h"
#include "introspection/protocol.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace canopy::introspection {

/// Incremental frame splitter: feed it arbitrary byte chunks (one byte at a time is fine), pull
/// complete frames. Malformed input (oversize length, unknown encoding, compressed flag) puts it
/// into a sticky error state described by error(); it never throws and never crashes.
class FrameDecoder {
public:
    /// What next() produced.
    enum class Status { Frame, NeedMore, Error };

    /// `maxFrameSize` bounds one payload; a larger announced length is an error (nothing is allocated).
    explicit FrameDecoder(std::size_t maxFrameSize = protocol::kDefaultMaxFrameSize);

    /// Appends bytes received from the stream.
    void feed(std::span<const std::uint8_t> bytes);
    void feed(const void* data, std::size_t size);
    /// Room to receive into directly (no intermediate copy): at least `atLeast` bytes, more when a
    /// frame whose header has arrived needs more. A big frame (1 MiB and more) is received straight
    /// into its own payload vector, which next() hands over without copying; bytes after a complete
    /// big frame that next() has not taken yet go to the buffer. Never empty. Follow with commit()
    /// of the bytes actually written.
    std::span<std::uint8_t> writeSpace(std::size_t atLeast);
    /// Marks `n` bytes of the last writeSpace() as received.
    void commit(std::size_t n);
    /// Extracts the next complete frame into `out` (Status::Frame), or says more bytes are needed, or
    /// reports the sticky error.
    Status next(Frame& out);

    /// The error ("" unless next() returned Error), naming the problem and its stream offset.
    const std::string& error() const { return m_error; }
    bool failed() const { return !m_error.empty(); }
    /// Bytes buffered but not yet returned as frames.
    std::size_t buffered() const {
        return m_size - m_readPos + (m_bigActive ? protocol::kFrameHeaderSize + m_bigFill : 0);
    }
    /// Stream offset of the next frame header (bytes consumed by returned frames).
    std::uint64_t consumed() const { return m_consumed; }
    /// Forgets buffered bytes and any error; the stream offset continues.
    void reset();

private:
    /// Makes room for `n` more bytes after the buffered ones (dropping consumed bytes first).
    void reserveTail(std::size_t n);
    /// When the buffered bytes start with the sound header of a big frame not yet complete: moves
    /// its payload so far into m_big, where the rest is received.
    void startBigFrame();

    std::size_t m_maxFrameSize;
    std::vector<std::uint8_t> m_buffer; ///< size() is the capacity; m_size bytes are valid
    std::size_t m_size = 0;
    std::size_t m_readPos = 0;
    std::uint64_t m_consumed = 0;
    std::string m_error;
    /// A big frame being received into its own payload vector.
    bool m_bigActive = false;
    std::uint8_t m_bigFlags = 0;
    std::vector<std::uint8_t> m_big;
    std::size_t m_bigFill = 0;
};

} // namespace canopy::introspection
