#pragma once
// The fuzz targets' decode(encode(x)) == x check, member by member (tests/introspection/wire_diff.h).
// A difference is a bug in the codec: it names the message and member on stderr and aborts, which
// libFuzzer reports as a crash with the input, and the CTest corpus replay as a failed test.
#include "introspection/codec.h"
#include "tests/introspection/wire_diff.h"
#include <cstdio>
#include <cstdlib>
#include <string>

namespace canopy::fuzzing {

/// Aborts with `what` and `diff` on stderr.
[[noreturn]] inline void roundTripFailed(const char* what, const std::string& diff) {
    std::fprintf(stderr, "round trip failed (%s): %s\n", what, diff.c_str());
    std::abort();
}

/// Checks that `m` survives encode -> decode unchanged: exactly in CBOR; in JSON after one
/// normalisation (invalid UTF-8 becomes U+FFFD, a non-finite number null, i.e. the default), after
/// which JSON is stable too.
inline void checkRoundTrip(const introspection::WireMessage& m) {
    using introspection::Codec;
    using introspection::Encoding;
    using introspection::testing::WireDiff;
    auto cbor = Codec::decodePayload(Codec::encodePayload(m, Encoding::Cbor), Encoding::Cbor);
    if (!cbor.ok()) roundTripFailed("CBOR of a decoded message does not decode", cbor.error());
    if (auto d = WireDiff::between(m, *cbor); !d.empty()) roundTripFailed("CBOR", d);
    auto once = Codec::decodePayload(Codec::encodePayload(m, Encoding::Json), Encoding::Json);
    if (!once.ok()) roundTripFailed("JSON of a decoded message does not decode", once.error());
    auto twice = Codec::decodePayload(Codec::encodePayload(*once, Encoding::Json), Encoding::Json);
    if (!twice.ok()) roundTripFailed("normalised JSON does not decode", twice.error());
    if (auto d = WireDiff::between(*once, *twice); !d.empty()) roundTripFailed("JSON", d);
}

} // namespace canopy::fuzzing
