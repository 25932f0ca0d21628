#pragma once
#include "introspection/encoding.h"
#include "introspection/keyframe.h"
#include <cstdint>
#include <string>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

/// Writes a keyframe frame straight into bytes (JSON text or CBOR), without building a JSON document:
/// the same fields, names and default omissions as Codec, decodable by Codec::decodeFrame, at a
/// fraction of the cost (B14: a 100k-process keyframe). Keyframes carrying `slots` go through Codec.
class KeyframeEncoder {
public:
    /// Appends one complete frame (header + payload) to `out`; returns the bytes added.
    static std::size_t appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding);
    /// Appends a keyframe frame of every live process straight from a walk of the runtime's table
    /// (no intermediate records): the cheapest whole-tree keyframe. Returns the processes written.
    static std::size_t appendLiveFrame(std::vector<std::uint8_t>& out, const Runtime& rt, std::uint64_t seq,
                                       Encoding encoding);
    /// Replaces invalid UTF-8 sequences with U+FFFD (names and reasons come from user code).
    static void sanitizeUtf8(std::string& s);
};

} // namespace canopy::introspection
