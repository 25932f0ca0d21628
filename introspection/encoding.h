#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace canopy::introspection {

/// Payload encoding of a frame, carried in the low 4 bits of the frame's flags byte.
enum class Encoding : std::uint8_t {
    Json = 0, ///< UTF-8 JSON text (default; readable for debugging)
    Cbor = 1, ///< RFC 8949 CBOR (compact binary), same structure as the JSON
};

/// `json` or `cbor`.
inline std::string_view toString(Encoding e) { return e == Encoding::Cbor ? "cbor" : "json"; }

/// Parses `json` / `cbor`; nullopt for anything else.
inline std::optional<Encoding> parseEncoding(std::string_view s) {
    if (s == "json") return Encoding::Json;
    if (s == "cbor") return Encoding::Cbor;
    return std::nullopt;
}

} // namespace canopy::introspection
