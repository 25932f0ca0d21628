#include "introspection/probe/probe.h"
#include "introspection/probe/probe_server.h"

namespace canopy::introspection {

Probe::Probe(canopy::Runtime& rt, ProbeOptions opts) : m_server(std::make_unique<ProbeServer>(rt, std::move(opts))) {}
Probe::~Probe() = default;
std::uint16_t Probe::port() const { return m_server->port(); }
const std::string& Probe::token() const { return m_server->token(); }
std::uint16_t Probe::metricsPort() const { return m_server->metricsPort(); }
std::string Probe::dumpFlightRecorder(const std::string& reason) { return m_server->dumpFlightRecorder(reason); }
std::size_t Probe::viewerCount() const { return m_server->viewerCount(); }
std::vector<std::string> Probe::flightRecorderFiles() const { return m_server->dumps(); }

} // namespace canopy::introspection
