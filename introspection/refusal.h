#pragma once
#include <string>

namespace canopy::introspection {

/// Probe -> viewer: the handshake failed; the probe closes the connection after sending this.
struct Refusal {
    /// Machine-readable: "bad_magic" | "version_mismatch" | "bad_token" | "unsupported_encoding" |
    /// "bad_hello" | "busy".
    std::string code;
    /// One human-readable line.
    std::string message;
    int serverMajor = 1;
    int serverMinor = 0;
    /// The version the viewer announced (0.0 when the hello could not be read).
    int clientMajor = 0;
    int clientMinor = 0;
};

} // namespace canopy::introspection
