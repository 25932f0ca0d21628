#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace canopy::introspection {

/// An append-only byte log (encoded frames, back to back) kept in fixed-size chunks so that a
/// fatal-signal handler can write it out with write(2) alone: no allocation, no lock, no iterator.
/// One owner thread appends and clears; chunk pointers and the committed length are published with
/// release stores after the bytes they cover, so a reader on any thread (or in a signal handler that
/// interrupted the owner) sees a prefix of whole appends. Freed chunks are never read: the committed
/// length drops to 0 before a chunk is released. (A reader on another thread must still keep the owner
/// from clearing while it writes: FlightRecorder::freeze.)
class FrameLog {
public:
    /// Bytes per chunk; the log grows one chunk at a time.
    static constexpr std::size_t kChunkSize = 256 * 1024;
    /// Chunks a log may hold (4 GiB): an append beyond fails.
    static constexpr std::size_t kMaxChunks = 16384;

    FrameLog();
    ~FrameLog();
    FrameLog(const FrameLog&) = delete;
    FrameLog& operator=(const FrameLog&) = delete;

    /// Owner: appends bytes (all or nothing); false when the log would exceed kMaxChunks.
    bool append(const std::uint8_t* data, std::size_t size);
    /// Owner: empties the log; keeps as many chunks as the last fill used (the rest are freed).
    void clear();
    /// Bytes committed.
    std::size_t size() const { return m_committed.load(std::memory_order_acquire); }
    /// Bytes of chunks allocated.
    std::size_t capacity() const { return m_chunkCount.load(std::memory_order_relaxed) * kChunkSize; }
    /// Owner: copies `size` committed bytes at `offset` into `out`.
    void copyOut(std::size_t offset, std::size_t size, std::uint8_t* out) const;
    /// Writes the committed bytes to `fd` with write(2) only (async-signal-safe); false on a write error.
    bool writeTo(int fd) const noexcept;

private:
    std::unique_ptr<std::atomic<std::uint8_t*>[]> m_chunks;
    std::atomic<std::size_t> m_chunkCount{0};
    std::atomic<std::size_t> m_committed{0};
    std::size_t m_highWater = 0; ///< the largest size since the last clear
};

} // namespace canopy::introspection
