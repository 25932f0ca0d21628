#pragma once
#include "introspection/encoding.h"
#include "introspection/frame.h"
#include "introspection/keyframe_sink.h"
#include "introspection/protocol.h"
#include "introspection/result.h"
#include "introspection/wire_message.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace canopy::introspection {

/// Encodes and decodes WireMessages as JSON or CBOR payloads and as complete frames, one pass each
/// way, driven by the wire table (introspection/wire_table.h).
/// Never throws: malformed input comes back as a Result error naming the problem.
class Codec {
public:
    /// The payload bytes of `message` in `encoding` (no frame header).
    static std::vector<std::uint8_t> encodePayload(const WireMessage& message, Encoding encoding);
    /// The same for a keyframe held outside a WireMessage (no copy of its records).
    static std::vector<std::uint8_t> encodePayload(const Keyframe& keyframe, Encoding encoding);
    /// Decodes a payload in one pass straight into the message (no document), driven by the wire
    /// table; error on invalid JSON/CBOR, unknown type, wrong field types or too deep nesting.
    static Result<WireMessage> decodePayload(std::span<const std::uint8_t> payload, Encoding encoding);

    /// A complete frame (header + payload); error when the payload exceeds `maxFrameSize`.
    static Result<std::vector<std::uint8_t>> encodeFrame(const WireMessage& message, Encoding encoding,
                                                         std::size_t maxFrameSize = protocol::kDefaultMaxFrameSize);
    /// Appends a complete frame to `out` (no size check beyond the 32-bit length); returns bytes added.
    static std::size_t appendFrame(std::vector<std::uint8_t>& out, const WireMessage& message, Encoding encoding);
    /// The same for a keyframe held outside a WireMessage (no copy of its records).
    static std::size_t appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding);
    /// Decodes a frame produced by FrameDecoder or read from a session file (compressed payloads are
    /// inflated first; unknown encodings are rejected).
    static Result<WireMessage> decodeFrame(const Frame& frame);
    /// The same for a frame's payload in place (e.g. in a mapped session file) and its flags byte.
    static Result<WireMessage> decodeFrame(std::span<const std::uint8_t> payload, std::uint8_t flags);
    /// Like decodeFrame(), but a keyframe's process records go to `sink` one by one as they are
    /// decoded; the Keyframe returned has every other field and no processes. Any other message is
    /// decoded whole. On an error the sink may have taken some records: the caller discards them.
    static Result<WireMessage> decodeKeyframeFrame(std::span<const std::uint8_t> payload, std::uint8_t flags,
                                                   KeyframeSink& sink);

    /// The message as JSON text (for logs, `--json` output and tests).
    static std::string toJsonText(const WireMessage& message);
};

} // namespace canopy::introspection
