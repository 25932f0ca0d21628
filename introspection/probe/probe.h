#pragma once
#include "introspection/probe/probe_options.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

class ProbeServer;

/// The in-process probe: attach it with one line, `canopy::introspection::Probe probe(runtime, {...});`.
/// It listens (loopback by default) for viewers, streams the supervision tree as a keyframe plus
/// sequence-numbered deltas, and keeps a crash flight recorder. It installs itself as the runtime's
/// event sink (one probe per runtime) and costs the runtime one queue push per lifecycle event.
/// The constructor throws std::runtime_error with one clear line when it cannot listen.
class Probe {
public:
    /// Binds, writes the port/token files, logs "canopy probe listening on ADDR:PORT" to stderr.
    Probe(canopy::Runtime& rt, ProbeOptions opts = {});
    /// Detaches from the runtime and closes every viewer.
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    /// The bound TCP port.
    std::uint16_t port() const;
    /// The token viewers must present.
    const std::string& token() const;
    /// The bound /metrics port (0 when there is no endpoint).
    std::uint16_t metricsPort() const;
    /// Writes the flight recorder to a .canopy session file now; returns its path ("" when disabled
    /// or the file could not be written — the reason goes to stderr).
    std::string dumpFlightRecorder(const std::string& reason);
    /// Viewers currently connected.
    std::size_t viewerCount() const;
    /// Flight-recorder files written so far (automatic and requested) and still there (see the caps in
    /// ProbeOptions).
    std::vector<std::string> flightRecorderFiles() const;

private:
    std::unique_ptr<ProbeServer> m_server;
};

} // namespace canopy::introspection
