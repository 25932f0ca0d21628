#pragma once
#include "introspection/encoding.h"
#include <cstdint>
#include <vector>

namespace canopy::introspection {

/// One length-prefixed frame: [4-byte big-endian payload length][flags][payload].
struct Frame {
    /// Payload encoding (flags & 0x0f).
    Encoding encoding = Encoding::Json;
    /// The raw flags byte.
    std::uint8_t flags = 0;
    /// The encoded message.
    std::vector<std::uint8_t> payload;
    /// Byte offset of the frame header within the stream/file it was read from.
    std::uint64_t offset = 0;
};

} // namespace canopy::introspection
