#pragma once
#include <cstddef>
#include <cstdint>

/// Protocol constants shared by the probe, the viewers and the session files (see docs/protocol.md).
namespace canopy::introspection::protocol {

/// The magic a Hello must carry.
inline constexpr const char* kMagic = "CANOPY";
/// Protocol version spoken by this build. Same major = compatible; minor adds optional fields only.
inline constexpr int kVersionMajor = 1;
inline constexpr int kVersionMinor = 1;
/// Frame header: 4-byte big-endian payload length + 1 flags byte.
inline constexpr std::size_t kFrameHeaderSize = 5;
/// Default maximum payload size of one frame (64 MiB: a 100k-process JSON keyframe fits).
inline constexpr std::size_t kDefaultMaxFrameSize = 64u * 1024u * 1024u;
/// Flags byte: low 4 bits = encoding (0 JSON, 1 CBOR); bit 4 = compressed (reserved, rejected in 1.0).
inline constexpr std::uint8_t kEncodingMask = 0x0f;
inline constexpr std::uint8_t kFlagCompressed = 0x10;
/// Deepest JSON/CBOR nesting a decoder accepts (our messages nest at most 4 levels).
inline constexpr int kMaxNestingDepth = 32;

} // namespace canopy::introspection::protocol
