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
template <class M>
void appendPayload(std::vector<std::uint8_t>& out, const M& message, Encoding encoding) {
    // Keyframes are big: room for them at once (about 100 bytes per record in CBOR, 130 in JSON).
    const Keyframe* k = nullptr;
    if constexpr (std::is_same_v<M, Keyframe>) k = &message;
    else k = std::get_if<Keyframe>(&message);
    if (k) out.reserve(out.size() + k->processes.size() * (encoding == Encoding::Cbor ? 112 : 144) + 256);
    auto write = [&](auto& w) {
        if constexpr (std::is_same_v<M, Keyframe>) wire::writeStruct(w, message);
        else wire::writeMessage(w, message);
    };
    if (encoding == Encoding::Cbor) {
        CborWriter w(out);
        write(w);
    } else {
        JsonWriter w(out);
        write(w);
    }
}

template <class M>
std::size_t appendFrameOf(std::vector<std::uint8_t>& out, const M& message, Encoding encoding) {
    const std::size_t start = out.size();
    out.resize(start + protocol::kFrameHeaderSize);
    appendPayload(out, message, encoding);
    const std::size_t payload = out.size() - start - protocol::kFrameHeaderSize;
    FrameReader::writeHeader(out.data() + start, static_cast<std::uint32_t>(payload), static_cast<std::uint8_t>(encoding));
    return out.size() - start;
}

template <class Reader, class Decode>
Result<WireMessage> decodeWith(std::span<const std::uint8_t> payload, const char* what, Decode&& decode) {
    try {
        Reader reader(payload);
        return decode(reader);
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

template <class Reader>
Result<WireMessage> decodeWith(std::span<const std::uint8_t> payload, const char* what) {
    return decodeWith<Reader>(payload, what, [](Reader& r) { return wire::readMessage(r); });
}

/// A keyframe's records to the sink, anything else whole.
template <class Reader>
Result<WireMessage> decodeKeyframeWith(std::span<const std::uint8_t> payload, const char* what, KeyframeSink& sink) {
    return decodeWith<Reader>(payload, what, [&](Reader& r) {
        if (wire::messageType(r) != wire::Spec<Keyframe>::kType) return wire::readMessage(r);
        WireMessage out{std::in_place_type<Keyframe>};
        wire::readMessageStreaming<&Keyframe::processes>(r, std::get<Keyframe>(out), sink);
        return out;
    });
}

/// Inflates a compressed payload into a per-thread buffer (kept between frames unless a huge
/// frame grew it) and decodes it with `decode(bytes, encoding)`.
template <class Decode>
Result<WireMessage> decodeFrameWith(std::span<const std::uint8_t> payload, std::uint8_t flags, Decode&& decode) {
    const auto encoding = static_cast<Encoding>(flags & protocol::kEncodingMask);
    if (flags & protocol::kFlagCompressed) {
        thread_local std::vector<std::uint8_t> raw;
        Status s = PayloadCompression::decompressInto(payload, protocol::kDefaultMaxFrameSize, raw);
        Result<WireMessage> out = s ? decode(std::span<const std::uint8_t>(raw), encoding) : Result<WireMessage>::failure(s.error());
        if (raw.capacity() > (std::size_t(32) << 20)) std::vector<std::uint8_t>().swap(raw);
        return out;
    }
    return decode(payload, encoding);
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
    return appendFrameOf(out, message, encoding);
}

std::size_t Codec::appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding) {
    return appendFrameOf(out, keyframe, encoding);
}

std::vector<std::uint8_t> Codec::encodePayload(const Keyframe& keyframe, Encoding encoding) {
    std::vector<std::uint8_t> out;
    appendPayload(out, keyframe, encoding);
    return out;
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

Result<WireMessage> Codec::decodeFrame(const Frame& frame) { return decodeFrame(frame.payload, frame.flags); }

Result<WireMessage> Codec::decodeFrame(std::span<const std::uint8_t> payload, std::uint8_t flags) {
    return decodeFrameWith(payload, flags, [](std::span<const std::uint8_t> bytes, Encoding encoding) {
        return decodePayload(bytes, encoding);
    });
}

Result<WireMessage> Codec::decodeKeyframeFrame(std::span<const std::uint8_t> payload, std::uint8_t flags,
                                               KeyframeSink& sink) {
    return decodeFrameWith(payload, flags, [&](std::span<const std::uint8_t> bytes, Encoding encoding) {
        if (encoding == Encoding::Cbor) return decodeKeyframeWith<CborReader>(bytes, "CBOR", sink);
        return decodeKeyframeWith<JsonReader>(bytes, "JSON", sink);
    });
}

std::string Codec::toJsonText(const WireMessage& message) {
    std::vector<std::uint8_t> out;
    appendPayload(out, message, Encoding::Json);
    return std::string(out.begin(), out.end());
}

} // namespace canopy::introspection
