// libFuzzer target: arbitrary bytes -> FrameDecoder (in input-chosen chunk sizes) -> Codec -> SessionModel.
// Must never crash, hang, or trip a sanitizer; malformed input ends as an error value. The codec's
// one-pass decoders (CborReader/JsonReader driven by the wire table) are also checked for round
// trips: whatever decodes re-encodes, in both encodings, to a payload that decodes to the same
// message, member by member (fuzz/round_trip_check.h).
#include "fuzz/round_trip_check.h"
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/session_model.h"
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace canopy::introspection;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // First byte: the chunk size (so byte-by-byte and bulk feeding are both explored), and whether
    // bytes are fed by copy (feed) or received in place (writeSpace/commit, as LiveSource does).
    const std::size_t chunk = 1 + data[0] % 64;
    const bool inPlace = data[0] & 0x80;
    FrameDecoder decoder(1 << 20);
    SessionModel model;
    model.assumeEmpty();
    Frame frame;
    for (std::size_t off = 1; off < size; off += chunk) {
        const std::size_t n = std::min(chunk, size - off);
        if (inPlace) {
            auto room = decoder.writeSpace(n);
            std::memcpy(room.data(), data + off, n);
            decoder.commit(n);
        } else {
            decoder.feed(data + off, n);
        }
        while (true) {
            auto st = decoder.next(frame);
            if (st != FrameDecoder::Status::Frame) break;
            auto msg = Codec::decodeFrame(frame);
            if (!msg.ok()) continue;
            model.apply(*msg);
            canopy::fuzzing::checkRoundTrip(*msg);
        }
        if (decoder.failed()) break;
    }
    // Payload decoding on its own, both encodings.
    std::span<const std::uint8_t> all(data + 1, size - 1);
    for (Encoding enc : {Encoding::Json, Encoding::Cbor})
        if (auto m = Codec::decodePayload(all, enc); m.ok()) canopy::fuzzing::checkRoundTrip(*m);
    return 0;
}
