#include "introspection/codec.h"
#include "introspection/cbor_reader.h"
#include "introspection/cbor_writer.h"
#include "introspection/frame_reader.h"
#include "introspection/json_reader.h"
#include "introspection/json_writer.h"
#include "introspection/payload_compression.h"
#include "introspection/wire_decode.h"
#include "introspection/wire_encode.h"
#include <new>
#include <stdexcept>

namespace canopy::introspection {

std::string_view messageTypeName(const WireMessage& message) {
    return std::visit([](const auto& m) { return wire::Spec<std::decay_t<decltype(m)>>::kType; }, message);
}

namespace {
void appendPayload(std::vector<std::uint8_t>& out, const WireMessage& message, Encoding encoding) {
    if (encoding == Encoding::Cbor) {
        CborWriter w(out);
        wire::writeMessage(w, message);
    } else {
        JsonWriter w(out);
        wire::writeMessage(w, message);
    }
}

template <class Reader>
Result<WireMessage> decodeWith(std::span<const std::uint8_t> payload, const char* what) {
    try {
        Reader reader(payload);
        return wire::readMessage(reader);
    } catch (const WireError& e) {
        if (e.kind() == WireError::Kind::Syntax)
            return Result<WireMessage>::failure(std::string("invalid ") + what + " payload: " + e.what());
        return Result<WireMessage>::failure(std::string("malformed ") + what + " message: " +
                                            (e.path().empty() ? e.what() : "field '" + e.path() + "': " + e.what()));
    } catch (const std::bad_alloc&) {
        return Result<WireMessage>::failure(std::string("malformed ") + what + " message: too large to decode");
    } catch (const std::length_error&) {
        return Result<WireMessage>::failure(std::string("malformed ") + what + " message: too large to decode");
    }
}
} // namespace

std::vector<std::uint8_t> Codec::encodePayload(const WireMessage& message, Encoding encoding) {
    std::vector<std::uint8_t> out;
    appendPayload(out, message, encoding);
    return out;
}

Result<WireMessage> Codec::decodePayload(std::span<const std::uint8_t> payload, Encoding encoding) {
    if (encoding == Encoding::Cbor) return decodeWith<CborReader>(payload, "CBOR");
    return decodeWith<JsonReader>(payload, "JSON");
}

std::size_t Codec::appendFrame(std::vector<std::uint8_t>& out, const WireMessage& message, Encoding encoding) {
    const std::size_t start = out.size();
    out.resize(start + protocol::kFrameHeaderSize);
    appendPayload(out, message, encoding);
    const std::size_t payload = out.size() - start - protocol::kFrameHeaderSize;
    FrameReader::writeHeader(out.data() + start, static_cast<std::uint32_t>(payload), static_cast<std::uint8_t>(encoding));
    return out.size() - start;
}

Result<std::vector<std::uint8_t>> Codec::encodeFrame(const WireMessage& message, Encoding encoding,
                                                     std::size_t maxFrameSize) {
    std::vector<std::uint8_t> out;
    appendFrame(out, message, encoding);
    const std::size_t payload = out.size() - protocol::kFrameHeaderSize;
    if (payload > maxFrameSize || payload > 0xffffffffu)
        return Result<std::vector<std::uint8_t>>::failure(
            "encoded " + std::string(messageTypeName(message)) + " is " + std::to_string(payload) +
            " bytes, over the maximum frame size " + std::to_string(maxFrameSize));
    return out;
}

Result<WireMessage> Codec::decodeFrame(const Frame& frame) {
    if (frame.flags & protocol::kFlagCompressed) {
        auto raw = PayloadCompression::decompress(frame.payload, protocol::kDefaultMaxFrameSize);
        if (!raw.ok()) return Result<WireMessage>::failure(raw.error());
        return decodePayload(*raw, frame.encoding);
    }
    return decodePayload(frame.payload, frame.encoding);
}

std::string Codec::toJsonText(const WireMessage& message) {
    std::vector<std::uint8_t> out;
    appendPayload(out, message, Encoding::Json);
    return std::string(out.begin(), out.end());
}

} // namespace canopy::introspection
