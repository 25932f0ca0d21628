#pragma once
#include "introspection/probe/accept_backoff.h"
#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace canopy::introspection {

/// A minimal HTTP/1.0 responder for Prometheus: `GET /metrics` returns the text exposition produced
/// by `render`; anything else is 404 (or 400 when unreadable). One request per connection; requests
/// are bounded (8 KiB, 5 s, kMaxExchanges at once: more are closed at once). A failing accept (out of
/// file descriptors) is retried on a timer (AcceptBackoff), never in a loop. Runs on the probe's Asio
/// thread.
class MetricsServer {
public:
    /// Requests served at once.
    static constexpr int kMaxExchanges = 32;
    /// Binds address:port (throws std::runtime_error naming the problem) and starts accepting.
    MetricsServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                  std::function<std::string()> render);
    /// The bound port.
    std::uint16_t port() const { return m_port; }
    /// Stops accepting.
    void close();

private:
    void accept();
    asio::io_context& m_io;
    asio::ip::tcp::acceptor m_acceptor;
    asio::steady_timer m_retryTimer;
    AcceptBackoff m_backoff;
    std::function<std::string()> m_render;
    std::shared_ptr<int> m_exchanges = std::make_shared<int>(0); ///< requests in progress
    std::uint16_t m_port = 0;
};

} // namespace canopy::introspection
