// libFuzzer target: arbitrary bytes -> FrameDecoder (in input-chosen chunk sizes) -> Codec -> SessionModel.
// Must never crash, hang, or trip a sanitizer; malformed input ends as an error value. Whatever
// decodes must survive encode -> decode unchanged in both encodings (fuzz/round_trip_check.h).
#include "fuzz/round_trip_check.h"
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/session_model.h"
#include <cstddef>
#include <cstdint>

using namespace canopy::introspection;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // First byte picks the chunk size, so byte-by-byte and bulk feeding are both explored.
    const std::size_t chunk = 1 + data[0] % 64;
    FrameDecoder decoder(1 << 20);
    SessionModel model;
    model.assumeEmpty();
    Frame frame;
    for (std::size_t off = 1; off < size; off += chunk) {
        decoder.feed(data + off, std::min(chunk, size - off));
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
