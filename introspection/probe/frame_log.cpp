#include "introspection/probe/frame_log.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace canopy::introspection {

FrameLog::FrameLog() : m_chunks(new std::atomic<std::uint8_t*>[kMaxChunks]) {
    for (std::size_t i = 0; i < kMaxChunks; ++i) m_chunks[i].store(nullptr, std::memory_order_relaxed);
}

FrameLog::~FrameLog() {
    m_committed.store(0, std::memory_order_release);
    for (std::size_t i = 0; i < m_chunkCount.load(std::memory_order_relaxed); ++i) delete[] m_chunks[i].load();
}

bool FrameLog::append(const std::uint8_t* data, std::size_t size) {
    const std::size_t at = m_committed.load(std::memory_order_relaxed);
    const std::size_t end = at + size;
    const std::size_t needed = (end + kChunkSize - 1) / kChunkSize;
    if (needed > kMaxChunks) return false;
    for (std::size_t c = m_chunkCount.load(std::memory_order_relaxed); c < needed; ++c) {
        m_chunks[c].store(new std::uint8_t[kChunkSize], std::memory_order_release);
        m_chunkCount.store(c + 1, std::memory_order_release);
    }
    for (std::size_t done = 0; done < size;) {
        const std::size_t pos = at + done;
        const std::size_t n = std::min(size - done, kChunkSize - pos % kChunkSize);
        std::memcpy(m_chunks[pos / kChunkSize].load(std::memory_order_relaxed) + pos % kChunkSize, data + done, n);
        done += n;
    }
    m_committed.store(end, std::memory_order_release);
    m_highWater = std::max(m_highWater, end);
    return true;
}

void FrameLog::clear() {
    m_committed.store(0, std::memory_order_release);
    const std::size_t keep = (m_highWater + kChunkSize - 1) / kChunkSize;
    for (std::size_t c = m_chunkCount.load(std::memory_order_relaxed); c > keep; --c) {
        m_chunkCount.store(c - 1, std::memory_order_release);
        delete[] m_chunks[c - 1].exchange(nullptr, std::memory_order_acq_rel);
    }
    m_highWater = 0;
}

void FrameLog::copyOut(std::size_t offset, std::size_t size, std::uint8_t* out) const {
    for (std::size_t done = 0; done < size;) {
        const std::size_t pos = offset + done;
        const std::size_t n = std::min(size - done, kChunkSize - pos % kChunkSize);
        std::memcpy(out + done, m_chunks[pos / kChunkSize].load(std::memory_order_relaxed) + pos % kChunkSize, n);
        done += n;
    }
}

bool FrameLog::writeTo(int fd) const noexcept {
    const std::size_t total = m_committed.load(std::memory_order_acquire);
    for (std::size_t pos = 0; pos < total;) {
        const std::uint8_t* chunk = m_chunks[pos / kChunkSize].load(std::memory_order_acquire);
        if (!chunk) return false;
        const std::size_t n = std::min(total - pos, kChunkSize - pos % kChunkSize);
        const ssize_t w = ::write(fd, chunk + pos % kChunkSize, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        pos += std::size_t(w);
    }
    return true;
}

} // namespace canopy::introspection
