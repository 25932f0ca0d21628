#include "introspection/frame_reader.h"
#include "introspection/protocol.h"

namespace canopy::introspection {

FrameReader::Status FrameReader::readAt(std::span<const std::uint8_t> data, std::size_t maxFrameSize, Frame& out,
                                        std::size_t& frameSize, std::string& error, bool allowCompressed) {
    std::span<const std::uint8_t> payload;
    std::uint8_t flags = 0;
    const Status st = viewAt(data, maxFrameSize, payload, flags, frameSize, error, allowCompressed);
    if (st != Status::Frame) return st;
    out.encoding = static_cast<Encoding>(flags & protocol::kEncodingMask);
    out.flags = flags;
    out.payload.assign(payload.begin(), payload.end());
    out.offset = 0;
    return Status::Frame;
}

FrameReader::Status FrameReader::viewAt(std::span<const std::uint8_t> data, std::size_t maxFrameSize,
                                        std::span<const std::uint8_t>& payload, std::uint8_t& flags, std::size_t& frameSize,
                                        std::string& error, bool allowCompressed) {
    if (data.size() < protocol::kFrameHeaderSize) return Status::NeedMore;
    const std::uint64_t length = (std::uint64_t(data[0]) << 24) | (std::uint64_t(data[1]) << 16) |
                                 (std::uint64_t(data[2]) << 8) | std::uint64_t(data[3]);
    flags = data[4];
    if (length > maxFrameSize) {
        error = "frame length " + std::to_string(length) + " exceeds the maximum frame size " +
                std::to_string(maxFrameSize);
        return Status::Error;
    }
    if ((flags & protocol::kFlagCompressed) && !allowCompressed) {
        error = "compressed frames are not supported on the wire in protocol 1.0 (flags " + std::to_string(flags) + ")";
        return Status::Error;
    }
    if (flags & ~(protocol::kEncodingMask | protocol::kFlagCompressed)) {
        error = "unknown frame flags " + std::to_string(flags);
        return Status::Error;
    }
    const std::uint8_t enc = flags & protocol::kEncodingMask;
    if (enc > static_cast<std::uint8_t>(Encoding::Cbor)) {
        error = "unknown payload encoding " + std::to_string(enc);
        return Status::Error;
    }
    if (data.size() < protocol::kFrameHeaderSize + length) return Status::NeedMore;
    payload = data.subspan(protocol::kFrameHeaderSize, static_cast<std::size_t>(length));
    frameSize = protocol::kFrameHeaderSize + static_cast<std::size_t>(length);
    return Status::Frame;
}

void FrameReader::writeHeader(std::uint8_t* header, std::uint32_t length, std::uint8_t flags) {
    header[0] = static_cast<std::uint8_t>(length >> 24);
    header[1] = static_cast<std::uint8_t>(length >> 16);
    header[2] = static_cast<std::uint8_t>(length >> 8);
    header[3] = static_cast<std::uint8_t>(length);
    header[4] = flags;
}

} // namespace canopy::introspection
