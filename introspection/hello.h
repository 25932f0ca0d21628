#pragma once
#include <string>
#include <vector>

namespace canopy::introspection {

/// Viewer -> probe, first frame of a connection (always JSON-encoded).
struct Hello {
    /// Must be "CANOPY".
    std::string magic = "CANOPY";
    int versionMajor = 1;
    int versionMinor = 0;
    /// Optional features the viewer understands (e.g. "samples", "commands", "cbor").
    std::vector<std::string> capabilities;
    /// Shared secret; "" when the viewer has none.
    std::string token;
    /// Encoding the viewer wants for the rest of the stream: "json" | "cbor".
    std::string encoding = "json";
    /// Free-form client name for the probe's log (e.g. "canopyctl 0.1").
    std::string client;
};

} // namespace canopy::introspection
