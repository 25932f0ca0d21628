#include "introspection/probe/metrics_server.h"
#include <chrono>
#include <memory>
#include <stdexcept>

namespace canopy::introspection {

namespace {

/// One HTTP exchange.
struct MetricsExchange : std::enable_shared_from_this<MetricsExchange> {
    MetricsExchange(asio::ip::tcp::socket s, std::function<std::string()>& render, std::shared_ptr<int> active)
        : socket(std::move(s)), timer(socket.get_executor()), render(render), active(std::move(active)) {
        ++*this->active;
    }
    ~MetricsExchange() { --*active; }

    void start() {
        timer.expires_after(std::chrono::seconds(5));
        timer.async_wait([self = shared_from_this()](const std::error_code& ec) {
            if (!ec) {
                std::error_code ignore;
                self->socket.close(ignore);
            }
        });
        read();
    }
    void read() {
        auto self = shared_from_this();
        socket.async_read_some(asio::buffer(chunk), [self](const std::error_code& ec, std::size_t n) {
            if (ec) {
                self->timer.cancel();
                return;
            }
            self->request.append(self->chunk.data(), n);
            if (self->request.find("\r\n\r\n") != std::string::npos || self->request.find("\n\n") != std::string::npos)
                self->respond();
            else if (self->request.size() > 8192)
                self->reply("400 Bad Request", "request too large\n");
            else
                self->read();
        });
    }
    void respond() {
        const auto eol = request.find_first_of("\r\n");
        const std::string line = request.substr(0, eol);
        if (line.rfind("GET /metrics", 0) == 0 &&
            (line.size() == 12 || line[12] == ' ' || line[12] == '?'))
            reply("200 OK", render());
        else if (line.rfind("GET ", 0) == 0)
            reply("404 Not Found", "not found; try /metrics\n");
        else
            reply("400 Bad Request", "only GET /metrics is served\n");
    }
    void reply(const std::string& status, const std::string& body) {
        response = "HTTP/1.0 " + status +
                   "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        auto self = shared_from_this();
        asio::async_write(socket, asio::buffer(response), [self](const std::error_code&, std::size_t) {
            std::error_code ignore;
            self->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignore);
            self->socket.close(ignore);
            self->timer.cancel();
        });
    }

    asio::ip::tcp::socket socket;
    asio::steady_timer timer;
    std::function<std::string()>& render;
    std::shared_ptr<int> active;
    std::array<char, 2048> chunk{};
    std::string request;
    std::string response;
};

} // namespace

MetricsServer::MetricsServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                             std::function<std::string()> render)
    : m_io(io), m_acceptor(io), m_retryTimer(io), m_render(std::move(render)) {
    std::error_code ec;
    const auto addr = asio::ip::make_address(address, ec);
    if (ec) throw std::runtime_error("canopy probe: invalid metrics address '" + address + "'");
    asio::ip::tcp::endpoint ep(addr, port);
    m_acceptor.open(ep.protocol(), ec);
    if (!ec) m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) m_acceptor.bind(ep, ec);
    if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("canopy probe: cannot serve /metrics on " + address + ":" + std::to_string(port) +
                                 ": " + ec.message());
    m_port = m_acceptor.local_endpoint().port();
    accept();
}

void MetricsServer::close() {
    std::error_code ignore;
    m_acceptor.close(ignore);
    m_retryTimer.cancel();
}

void MetricsServer::accept() {
    m_acceptor.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open()) return;
        if (ec) {
            const auto delay = m_backoff.onError(ec);
            if (delay.count() == 0) {
                accept();
                return;
            }
            m_retryTimer.expires_after(delay);
            m_retryTimer.async_wait([this](const std::error_code& e) {
                if (!e && m_acceptor.is_open()) accept();
            });
            return;
        }
        m_backoff.onSuccess();
        if (*m_exchanges < kMaxExchanges) {
            std::make_shared<MetricsExchange>(std::move(socket), m_render, m_exchanges)->start();
        } else {
            std::error_code ignore;
            socket.close(ignore);
        }
        accept();
    });
}

} // namespace canopy::introspection
