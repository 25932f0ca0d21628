#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// First frame of a .canopy session file (after the 8-byte file magic).
struct SessionHeader {
    /// Session file format version (1).
    int formatVersion = 1;
    int protocolMajor = 1;
    int protocolMinor = 0;
    /// Probe clock (monotonic ns) at the session's start; session time T = timeNs - startNs.
    std::int64_t startNs = 0;
    /// Wall-clock creation time, ISO 8601 UTC (informational).
    std::string created;
    /// What was recorded (e.g. "127.0.0.1:4040", "flight-recorder pid 1234").
    std::string source;
};

} // namespace canopy::introspection
