#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {

/// Probe -> viewer: the handshake succeeded; a keyframe follows.
struct Welcome {
    int versionMajor = 1;
    int versionMinor = 0;
    /// Encoding the probe will use from now on ("json" | "cbor").
    std::string encoding = "json";
    /// Features the probe offers (e.g. "samples", "commands", "subtree").
    std::vector<std::string> capabilities;
    /// Probe clock (monotonic ns) at the session's start; event times are on the same clock.
    std::int64_t startNs = 0;
    /// Probe clock now (monotonic ns), so the viewer can tell "now" in session time.
    std::int64_t nowNs = 0;
    /// Describes the observed program (e.g. its executable name and OS pid).
    std::string server;
    /// True when destructive commands (kill, terminate/restart child) are enabled.
    bool commandsEnabled = false;
};

} // namespace canopy::introspection
