#include "introspection/probe/session_file_adapter.h"
#include "introspection/codec.h"
#include <cerrno>
#include <cstring>
#include <vector>

namespace canopy::introspection {

SessionFileAdapter::~SessionFileAdapter() {
    if (m_file) std::fclose(m_file);
}

Status SessionFileAdapter::open(const std::string& path, const SessionHeader& header) {
    m_path = path;
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file) return Status::failure("cannot create " + path + ": " + std::strerror(errno));
    put("CANOPYSF", 8);
    write(header);
    return m_failed ? Status::failure("cannot write " + path) : Status();
}

void SessionFileAdapter::put(const void* data, std::size_t n) {
    if (!m_file || m_failed) return;
    if (std::fwrite(data, 1, n, m_file) != n) m_failed = true;
    m_offset += n;
}

void SessionFileAdapter::write(const WireMessage& message) {
    std::vector<std::uint8_t> frame;
    Codec::appendFrame(frame, message, Encoding::Cbor);
    if (const auto* kf = std::get_if<Keyframe>(&message)) {
        m_index.entries.push_back(IndexEntry{kf->timeNs, m_offset, kf->seq});
        m_index.endNs = std::max(m_index.endNs, kf->timeNs);
    } else if (const auto* d = std::get_if<Delta>(&message)) {
        ++m_index.deltas;
        m_index.endNs = std::max(m_index.endNs, d->timeNs);
    } else if (std::holds_alternative<Sample>(message)) {
        ++m_index.samples;
    }
    ++m_index.frames;
    put(frame.data(), frame.size());
}

Status SessionFileAdapter::close() {
    if (!m_file) return Status::failure("session file not open");
    const std::uint64_t indexOffset = m_offset;
    write(m_index);
    std::uint8_t trailer[16];
    for (int i = 0; i < 8; ++i) trailer[i] = static_cast<std::uint8_t>(indexOffset >> (56 - 8 * i));
    std::memcpy(trailer + 8, "CANOPYIX", 8);
    put(trailer, 16);
    const bool closeFailed = std::fclose(m_file) != 0;
    m_file = nullptr;
    if (m_failed || closeFailed) return Status::failure("cannot write " + m_path + ": " + std::strerror(errno));
    return Status();
}

} // namespace canopy::introspection
