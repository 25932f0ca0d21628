#pragma once
#include "introspection/delta.h"
#include "introspection/probe/counter_diff.h"
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

/// The probe's own numbers that /metrics reports beside the runtime's (gathered by ProbeServer).
struct ProbeStats {
    std::uint64_t viewers = 0;
    std::uint64_t handshakes = 0;
    std::uint64_t eventsSeen = 0;
    std::uint64_t eventsDropped = 0;
    std::uint64_t viewerResyncs = 0;
    std::uint64_t viewerDropped = 0;
    std::uint64_t connectionsRefused = 0;
    std::uint64_t acceptErrors = 0;
    std::uint64_t flightDumps = 0;
    std::uint64_t flightDumpsRemoved = 0;
    double lastWalkCpuSeconds = 0;
};

/// The Prometheus view of the runtime (`GET /metrics`): gauges of the live table and counters that
/// never go down. Restarts are counted per supervisor *path* (the chain of registered names / child
/// ids from the root, e.g. `top_sup/pool/workers`), which survives the supervisor's own restarts and
/// exits; messages handled include those of processes that exited (as of the last scrape that saw
/// them). Asio thread only.
class ProbeMetrics {
public:
    /// Series per family beyond which supervisors share the path "(other)" (bounded memory).
    static constexpr std::size_t kMaxSupervisorSeries = 1000;

    /// Learns the supervisors already running (call once, before the first observe()).
    void seed(const Runtime& rt);
    /// Accounts one structural event (after the probe normalised it).
    void observe(const Delta& delta);
    /// The text exposition (version 0.0.4): walks the process table once.
    std::string render(const Runtime& rt, const ProbeStats& stats);
    /// Child restarts seen since the probe started.
    std::uint64_t restarts() const { return m_restarts; }

private:
    void learnSupervisor(std::uint64_t pid, std::uint64_t parent, const std::string& name);
    std::uint64_t& restartsOf(const std::string& path);

    /// Live supervisors: pid -> path.
    std::unordered_map<std::uint64_t, std::string> m_paths;
    /// Restarts by supervisor path, never erased.
    std::map<std::string, std::uint64_t> m_restartsByPath;
    std::uint64_t m_restarts = 0;
    std::uint64_t m_gaveUp = 0;
    CounterDiff m_handled;
    std::uint64_t m_departedHandled = 0;
};

} // namespace canopy::introspection
