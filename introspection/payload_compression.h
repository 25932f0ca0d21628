#pragma once
#include "introspection/result.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace canopy::introspection {

/// The compressed form of a frame payload (frame flag 0x10, session files format 2): a 4-byte
/// big-endian uncompressed length, then a zlib stream made with a preset dictionary of the
/// protocol's field names and common values. Every frame stays decodable on its own (seeking and
/// truncation recovery are unchanged); the dictionary lets even a 100-byte delta shrink.
class PayloadCompression {
public:
    /// Appends the compressed form of `payload` to `out`.
    static void compress(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out);
    /// The original payload, or an error naming the problem (bad length, corrupt stream, a length
    /// above `maxSize` — checked before anything is allocated).
    static Result<std::vector<std::uint8_t>> decompress(std::span<const std::uint8_t> data, std::size_t maxSize);
    /// The same into `out` (resized to the payload; its capacity is reused, so a replay of many
    /// frames does not allocate per frame).
    static Status decompressInto(std::span<const std::uint8_t> data, std::size_t maxSize, std::vector<std::uint8_t>& out);
};

} // namespace canopy::introspection
