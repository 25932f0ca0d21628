#include "introspection/frame_decoder.h"
#include "introspection/frame_reader.h"
#include <algorithm>
#include <cstring>

namespace canopy::introspection {

FrameDecoder::FrameDecoder(std::size_t maxFrameSize) : m_maxFrameSize(maxFrameSize) {}

void FrameDecoder::reserveTail(std::size_t n) {
    // Drop consumed bytes once they dominate the buffer, or when that makes the room needed.
    if (m_readPos > 0 && (m_readPos >= m_size / 2 || m_buffer.size() - m_size < n)) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_readPos, m_size - m_readPos);
        m_size -= m_readPos;
        m_readPos = 0;
    }
    if (m_buffer.size() - m_size < n) m_buffer.resize(std::max(m_size + n, m_buffer.size() + m_buffer.size() / 2));
}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    if (!m_error.empty() || bytes.empty()) return;
    if (m_bigActive) {
        const std::size_t take = std::min(bytes.size(), m_big.size() - m_bigFill);
        std::memcpy(m_big.data() + m_bigFill, bytes.data(), take);
        m_bigFill += take;
        bytes = bytes.subspan(take);
        if (bytes.empty()) return;
    }
    reserveTail(bytes.size());
    std::memcpy(m_buffer.data() + m_size, bytes.data(), bytes.size());
    m_size += bytes.size();
}

void FrameDecoder::feed(const void* data, std::size_t size) {
    feed(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(data), size));
}

namespace {
constexpr std::size_t kBigFrame = std::size_t(1) << 20;
}

void FrameDecoder::startBigFrame() {
    if (m_bigActive || !m_error.empty() || buffered() < protocol::kFrameHeaderSize) return;
    std::span<const std::uint8_t> avail(m_buffer.data() + m_readPos, m_size - m_readPos);
    std::span<const std::uint8_t> payload;
    std::uint8_t flags = 0;
    std::size_t frameSize = 0;
    std::string err;
    const std::size_t length = (std::size_t(avail[0]) << 24) | (std::size_t(avail[1]) << 16) |
                               (std::size_t(avail[2]) << 8) | avail[3];
    // Only a header next() would accept (the check on a full header only); errors stay next()'s.
    if (length < kBigFrame || length > m_maxFrameSize) return;
    if (FrameReader::viewAt(avail.first(protocol::kFrameHeaderSize), m_maxFrameSize, payload, flags, frameSize, err) !=
        FrameReader::Status::NeedMore)
        return;
    if (avail.size() >= protocol::kFrameHeaderSize + length) return; // complete already
    m_big.resize(length);
    m_bigFill = avail.size() - protocol::kFrameHeaderSize;
    std::memcpy(m_big.data(), avail.data() + protocol::kFrameHeaderSize, m_bigFill);
    m_bigFlags = avail[4];
    m_bigActive = true;
    m_readPos = m_size = 0;
}

std::span<std::uint8_t> FrameDecoder::writeSpace(std::size_t atLeast) {
    startBigFrame();
    if (m_bigActive && m_bigFill < m_big.size()) return {m_big.data() + m_bigFill, m_big.size() - m_bigFill};
    // No big frame, or one that is complete and waits for next(): what follows goes to the buffer
    // (never an empty room: a recv() into zero bytes returns 0, which reads as the peer closing).
    std::size_t want = atLeast;
    if (m_error.empty() && m_size - m_readPos >= protocol::kFrameHeaderSize) {
        const std::uint8_t* h = m_buffer.data() + m_readPos;
        const std::size_t length = (std::size_t(h[0]) << 24) | (std::size_t(h[1]) << 16) | (std::size_t(h[2]) << 8) | h[3];
        // Only for a length next() will accept: a hostile header allocates nothing.
        if (length <= m_maxFrameSize) {
            const std::size_t frame = protocol::kFrameHeaderSize + length;
            if (frame > m_size - m_readPos) want = std::max(want, frame - (m_size - m_readPos));
        }
    }
    reserveTail(want);
    return {m_buffer.data() + m_size, m_buffer.size() - m_size};
}

void FrameDecoder::commit(std::size_t n) {
    if (m_bigActive && m_bigFill < m_big.size()) m_bigFill += std::min(n, m_big.size() - m_bigFill);
    else m_size += std::min(n, m_buffer.size() - m_size);
}

FrameDecoder::Status FrameDecoder::next(Frame& out) {
    if (!m_error.empty()) return Status::Error;
    if (m_bigActive) {
        if (m_bigFill < m_big.size()) return Status::NeedMore;
        out.encoding = static_cast<Encoding>(m_bigFlags & protocol::kEncodingMask);
        out.flags = m_bigFlags;
        out.payload.swap(m_big);
        std::vector<std::uint8_t>().swap(m_big);
        out.offset = m_consumed;
        m_consumed += protocol::kFrameHeaderSize + out.payload.size();
        m_bigActive = false;
        m_bigFill = 0;
        return Status::Frame;
    }
    std::span<const std::uint8_t> avail(m_buffer.data() + m_readPos, m_size - m_readPos);
    std::size_t frameSize = 0;
    std::string err;
    switch (FrameReader::readAt(avail, m_maxFrameSize, out, frameSize, err)) {
    case FrameReader::Status::NeedMore:
        return Status::NeedMore;
    case FrameReader::Status::Error:
        m_error = "at stream offset " + std::to_string(m_consumed) + ": " + err;
        m_size = 0;
        m_readPos = 0;
        return Status::Error;
    case FrameReader::Status::Frame:
        break;
    }
    out.offset = m_consumed;
    m_readPos += frameSize;
    m_consumed += frameSize;
    if (m_readPos == m_size) {
        m_size = 0;
        m_readPos = 0;
        // A big frame's buffer is not kept once it has been handed out.
        if (m_buffer.size() > (std::size_t(1) << 20)) std::vector<std::uint8_t>().swap(m_buffer);
    }
    return Status::Frame;
}

void FrameDecoder::reset() {
    m_size = 0;
    m_readPos = 0;
    m_error.clear();
    m_bigActive = false;
    m_bigFill = 0;
    std::vector<std::uint8_t>().swap(m_big);
}

} // namespace canopy::introspection
