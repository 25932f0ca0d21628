#pragma once
#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace canopy::introspection {

/// A minimal HTTP/1.0 responder for Prometheus: `GET /metrics` returns the text exposition produced
/// by `render`; anything else is 404 (or 400 when unreadable). One request per connection; requests
/// are bounded (8 KiB, 5 s). Runs on the probe's Asio thread.
class MetricsServer {
public:
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
    std::function<std::string()> m_render;
    std::uint16_t m_port = 0;
};

} // namespace canopy::introspection
