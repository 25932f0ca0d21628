#pragma once
#include "introspection/delta.h"
#include "introspection/probe/accept_backoff.h"
#include "introspection/probe/probe_options.h"
#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace canopy::introspection {

class ProbeSource;
class ViewerConnection;

/// The probe's transport, shared by the in-process probe and the BEAM bridge: the acceptor (with its
/// backoff and before-hello limits), the token, the viewers and the fan-out to them. The data comes
/// from a ProbeSource. Everything runs on the owner's Asio thread except viewerCount().
class ProbeTransport {
public:
    /// Resolves the token, binds and writes the port file (throws std::runtime_error naming the problem)
    /// and logs "canopy probe listening on ADDR:PORT"; accepting starts with start().
    ProbeTransport(asio::io_context& io, const ProbeOptions& opts, ProbeSource& source);
    ~ProbeTransport();
    ProbeTransport(const ProbeTransport&) = delete;
    ProbeTransport& operator=(const ProbeTransport&) = delete;

    /// Begins accepting viewers.
    void start();
    /// Stops accepting and closes every viewer (idempotent).
    void close();

    /// The bound TCP port.
    std::uint16_t port() const { return m_port; }
    /// The token viewers must present.
    const std::string& token() const { return m_token; }
    const ProbeOptions& options() const { return m_opts; }
    asio::io_context& io() { return m_io; }
    ProbeSource& source() { return m_source; }
    /// Viewers (streaming or still in their handshake), by id.
    const std::map<std::uint64_t, std::shared_ptr<ViewerConnection>>& viewers() const { return m_viewers; }
    /// Viewers connected (any thread).
    std::size_t viewerCount() const { return m_viewerCount.load(); }

    /// Hands a structural event to every viewer (each filters and numbers it).
    void deliver(Delta& delta);
    /// Lets every viewer write what it has queued.
    void flush();
    /// Every viewer gets a resync keyframe (events were lost upstream).
    void requestResync();

    /// A connection ended (called by the connection).
    void viewerClosed(std::uint64_t id);
    /// A connection stopped waiting for its hello.
    void handshakeEnded();
    /// A connection was refused at the handshake.
    void handshakeRefused() { ++m_connectionsRefused; }
    /// A viewer's sample rate changed: tells the source the fastest rate asked.
    void samplingChanged();

    /// Counters for /metrics.
    std::uint64_t connectionsRefused() const { return m_connectionsRefused; }
    std::uint64_t acceptErrors() const { return m_acceptErrors; }
    /// Resyncs and dropped frames of viewers that left (live viewers' are in their own counters).
    std::uint64_t departedResyncs() const { return m_departedResyncs; }
    std::uint64_t departedDropped() const { return m_departedDropped; }

private:
    void accept();
    void retryAcceptAfter(std::chrono::milliseconds delay);
    void refuseBusy(asio::ip::tcp::socket socket);

    asio::io_context& m_io;
    ProbeOptions m_opts;
    ProbeSource& m_source;
    std::string m_token;
    asio::ip::tcp::acceptor m_acceptor;
    asio::steady_timer m_acceptTimer;
    AcceptBackoff m_acceptBackoff;
    bool m_acceptWaiting = false; ///< m_acceptTimer holds the next accept (out of descriptors)
    bool m_closed = false;
    std::uint16_t m_port = 0;
    std::size_t m_handshakes = 0; ///< connections waiting for their hello
    std::uint64_t m_connectionsRefused = 0;
    std::uint64_t m_acceptErrors = 0;
    std::uint64_t m_departedResyncs = 0;
    std::uint64_t m_departedDropped = 0;
    std::map<std::uint64_t, std::shared_ptr<ViewerConnection>> m_viewers;
    std::atomic<std::size_t> m_viewerCount{0};
    std::uint64_t m_nextViewerId = 1;
};

} // namespace canopy::introspection
