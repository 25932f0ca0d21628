#pragma once
#include "introspection/frame.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace canopy::introspection {

/// Stateless frame parsing over a byte range (shared by FrameDecoder and SessionReader).
class FrameReader {
public:
    /// Outcome of readAt().
    enum class Status { Frame, NeedMore, Error };
    /// Parses one frame at the start of `data`. Frame: `out` filled (offset left 0) and `frameSize` =
    /// header + payload bytes. NeedMore: `data` holds an incomplete frame. Error: `error` names the
    /// problem (oversize length, unknown encoding, a compressed frame where `allowCompressed` is false:
    /// the 1.0 wire has none, session files of format 2 do).
    static Status readAt(std::span<const std::uint8_t> data, std::size_t maxFrameSize, Frame& out,
                         std::size_t& frameSize, std::string& error, bool allowCompressed = false);
    /// Like readAt(), without copying: `payload` is set to the payload inside `data`, `flags` to
    /// the frame's flags byte.
    static Status viewAt(std::span<const std::uint8_t> data, std::size_t maxFrameSize, std::span<const std::uint8_t>& payload,
                         std::uint8_t& flags, std::size_t& frameSize, std::string& error, bool allowCompressed = false);
    /// Writes the 5-byte header for a payload of `length` bytes.
    static void writeHeader(std::uint8_t* header, std::uint32_t length, std::uint8_t flags);
};

} // namespace canopy::introspection
