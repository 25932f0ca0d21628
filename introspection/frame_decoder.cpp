#include "introspection/frame_decoder.h"
#include "introspection/frame_reader.h"
#include <cstring>

namespace canopy::introspection {

FrameDecoder::FrameDecoder(std::size_t maxFrameSize) : m_maxFrameSize(maxFrameSize) {}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    if (!m_error.empty() || bytes.empty()) return;
    // Compact lazily: drop consumed bytes once they dominate the buffer.
    if (m_readPos > 0 && m_readPos >= m_buffer.size() / 2) {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_readPos));
        m_readPos = 0;
    }
    m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
}

void FrameDecoder::feed(const void* data, std::size_t size) {
    feed(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(data), size));
}

FrameDecoder::Status FrameDecoder::next(Frame& out) {
    if (!m_error.empty()) return Status::Error;
    std::span<const std::uint8_t> avail(m_buffer.data() + m_readPos, m_buffer.size() - m_readPos);
    std::size_t frameSize = 0;
    std::string err;
    switch (FrameReader::readAt(avail, m_maxFrameSize, out, frameSize, err)) {
    case FrameReader::Status::NeedMore:
        return Status::NeedMore;
    case FrameReader::Status::Error:
        m_error = "at stream offset " + std::to_string(m_consumed) + ": " + err;
        m_buffer.clear();
        m_readPos = 0;
        return Status::Error;
    case FrameReader::Status::Frame:
        break;
    }
    out.offset = m_consumed;
    m_readPos += frameSize;
    m_consumed += frameSize;
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
        m_readPos = 0;
    }
    return Status::Frame;
}

void FrameDecoder::reset() {
    m_buffer.clear();
    m_readPos = 0;
    m_error.clear();
}

} // namespace canopy::introspection
