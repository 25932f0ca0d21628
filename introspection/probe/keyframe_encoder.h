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

class SlotTracker;

/// Writes keyframe frames straight into bytes (JSON text or CBOR), one pass, no document, with the
/// wire table's keys and default omissions (introspection/wire_table.h): decodable by Codec.
/// appendLiveFrame() walks the runtime's process table without building records (B14).
class KeyframeEncoder {
public:
    /// Appends one complete frame (header + payload) to `out`; returns the bytes added (Codec::appendFrame).
    static std::size_t appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding);
    /// Appends a keyframe frame of every live process straight from a walk of the runtime's table
    /// (no intermediate records): the cheapest whole-tree keyframe. With `slots`, restarted static
    /// children keep their slot's start order and the ghost slots are listed. Returns the processes written.
    static std::size_t appendLiveFrame(std::vector<std::uint8_t>& out, const Runtime& rt, std::uint64_t seq,
                                       Encoding encoding, const SlotTracker* slots = nullptr);
    /// Replaces invalid UTF-8 sequences with U+FFFD (names and reasons come from user code).
    static void sanitizeUtf8(std::string& s);
};

} // namespace canopy::introspection
