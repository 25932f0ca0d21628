#include "introspection/probe/probe_transport.h"
#include "introspection/codec.h"
#include "introspection/probe/probe_source.h"
#include "introspection/probe/probe_token.h"
#include "introspection/probe/viewer_connection.h"
#include "introspection/protocol.h"
#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace canopy::introspection {

ProbeTransport::ProbeTransport(asio::io_context& io, const ProbeOptions& opts, ProbeSource& source)
    : m_io(io), m_opts(opts), m_source(source), m_acceptor(io), m_acceptTimer(io) {
    m_token = ProbeToken::resolve(m_opts.token, m_opts.tokenFile);
    std::error_code ec;
    const auto addr = asio::ip::make_address(m_opts.bindAddress, ec);
    if (ec) throw std::runtime_error("canopy probe: invalid bind address '" + m_opts.bindAddress + "'");
    if (!addr.is_loopback() && !m_opts.allowRemote)
        throw std::runtime_error("canopy probe: refusing to listen on non-loopback address " + m_opts.bindAddress +
                                 " (set allowRemote to allow it)");
    asio::ip::tcp::endpoint ep(addr, m_opts.port);
    m_acceptor.open(ep.protocol(), ec);
    if (!ec) m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) m_acceptor.bind(ep, ec);
    if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("canopy probe: cannot listen on " + m_opts.bindAddress + ":" +
                                 std::to_string(m_opts.port) + ": " + ec.message());
    m_port = m_acceptor.local_endpoint().port();
    if (!m_opts.portFile.empty()) {
        // Written whole under a temporary name and renamed: a reader never sees half a number.
        const std::string tmp = m_opts.portFile + ".tmp";
        {
            std::ofstream pf(tmp, std::ios::trunc);
            pf << m_port << "\n";
            if (!pf) throw std::runtime_error("canopy probe: cannot write port file " + m_opts.portFile);
        }
        if (std::rename(tmp.c_str(), m_opts.portFile.c_str()) != 0)
            throw std::runtime_error("canopy probe: cannot write port file " + m_opts.portFile);
    }
    std::cerr << "canopy probe listening on " << m_opts.bindAddress << ":" << m_port << "\n";
}

ProbeTransport::~ProbeTransport() = default;

void ProbeTransport::start() {
    accept();
}

void ProbeTransport::close() {
    if (m_closed) return;
    m_closed = true;
    std::error_code ignore;
    m_acceptor.close(ignore);
    m_acceptTimer.cancel();
    auto viewers = m_viewers;
    for (auto& [id, v] : viewers) v->close("");
    m_viewers.clear();
    m_viewerCount.store(0);
}

void ProbeTransport::accept() {
    m_acceptor.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open() || m_closed) return;
        if (ec) {
            ++m_acceptErrors;
            const bool first = !m_acceptBackoff.failing();
            const auto delay = m_acceptBackoff.onError(ec);
            if (delay.count() == 0) {
                accept(); // the peer gave up before it was accepted
                return;
            }
            if (first)
                std::cerr << "canopy probe: cannot accept connections (" << ec.message() << "); retrying every "
                          << AcceptBackoff::kMaxDelay.count() << " ms at most until it works again\n";
            retryAcceptAfter(delay);
            return;
        }
        if (m_acceptBackoff.onSuccess()) std::cerr << "canopy probe: accepting connections again\n";
        if (m_handshakes >= m_opts.maxHandshakes) {
            refuseBusy(std::move(socket));
        } else {
            ++m_handshakes;
            const auto id = m_nextViewerId++;
            auto viewer = std::make_shared<ViewerConnection>(*this, std::move(socket), id);
            m_viewers.emplace(id, viewer);
            m_viewerCount.store(m_viewers.size());
            viewer->start();
        }
        accept();
    });
}

void ProbeTransport::retryAcceptAfter(std::chrono::milliseconds delay) {
    // Out of descriptors (or memory): accept() would fail again at once while the connection waits in
    // the backlog, so the next try waits on a timer — cut short when one of ours closes.
    m_acceptWaiting = true;
    m_acceptTimer.expires_after(delay);
    m_acceptTimer.async_wait([this](const std::error_code&) {
        m_acceptWaiting = false;
        if (m_closed || !m_acceptor.is_open()) return;
        accept();
    });
}

void ProbeTransport::refuseBusy(asio::ip::tcp::socket socket) {
    ++m_connectionsRefused;
    if (m_connectionsRefused % 1000 == 1)
        std::cerr << "canopy probe: refusing connections: " << m_handshakes
                  << " already waiting for their hello (ProbeOptions::maxHandshakes; " << m_connectionsRefused
                  << " refused so far)\n";
    Refusal r;
    r.code = "busy";
    r.message = "too many connections waiting for their hello (" + std::to_string(m_handshakes) + "); try again";
    r.serverMajor = protocol::kVersionMajor;
    r.serverMinor = protocol::kVersionMinor;
    std::vector<std::uint8_t> bytes;
    Codec::appendFrame(bytes, r, Encoding::Json);
    // A fresh socket's send buffer takes the small refusal whole; nothing is kept for a slow reader.
    std::error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(bytes), ec);
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

void ProbeTransport::deliver(Delta& delta) {
    for (auto& [id, v] : m_viewers) v->deliver(delta);
}

void ProbeTransport::flush() {
    auto viewers = m_viewers;
    for (auto& [id, v] : viewers) v->flush();
}

void ProbeTransport::requestResync() {
    for (auto& [id, v] : m_viewers) v->requestResync();
}

void ProbeTransport::handshakeEnded() {
    if (m_handshakes > 0) --m_handshakes;
}

void ProbeTransport::viewerClosed(std::uint64_t id) {
    // Deferred: the caller may be inside a loop over m_viewers.
    if (m_acceptWaiting) m_acceptTimer.cancel(); // a descriptor came free: try accepting now
    asio::post(m_io, [this, id] {
        if (auto it = m_viewers.find(id); it != m_viewers.end()) {
            m_departedResyncs += it->second->resyncs();
            m_departedDropped += it->second->queue().dropped();
        }
        m_viewers.erase(id);
        m_viewerCount.store(m_viewers.size());
        samplingChanged();
    });
}

void ProbeTransport::samplingChanged() {
    double hz = 0;
    for (auto& [id, v] : m_viewers) hz = std::max(hz, v->sampleHz());
    m_source.samplingChanged(hz);
}

} // namespace canopy::introspection
