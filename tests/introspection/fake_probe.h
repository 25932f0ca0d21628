#pragma once
// A tiny scripted probe for tests: listens on 127.0.0.1, does the server side of the handshake and
// plays a script of messages. POSIX sockets + one thread; no runtime.
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/protocol.h"
#include <atomic>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace canopy::introspection::testing {

/// Scripted fake probe (test helper).
class FakeProbe {
public:
    /// Token required ("" = none).
    std::string token;
    /// Version announced in welcome/refusal.
    int major = protocol::kVersionMajor;
    int minor = protocol::kVersionMinor;
    /// Messages sent after the welcome, in order.
    std::vector<WireMessage> script;
    /// Frames sent as they are after the script (pre-encoded, e.g. a big keyframe for a benchmark).
    std::vector<std::uint8_t> scriptFrames;
    /// Raw bytes sent instead of a welcome (to test malformed answers); empty = normal handshake.
    std::vector<std::uint8_t> rawAnswer;
    /// Close the connection right after the script.
    bool closeAfterScript = false;
    /// Clock values for the welcome.
    std::int64_t startNs = 1'000'000'000;

    FakeProbe() {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_listen, 16);
        socklen_t len = sizeof a;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
    }
    ~FakeProbe() { stop(); }

    /// Starts serving connections one after the other.
    void start() { m_thread = std::thread([this] { run(); }); }
    void stop() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
        if (m_listen >= 0) ::close(m_listen);
        m_listen = -1;
    }
    std::uint16_t port() const { return m_port; }
    std::string target() const { return "127.0.0.1:" + std::to_string(m_port); }
    /// Messages received from viewers after their hello (subscribe, keyframe_request, ...).
    std::vector<WireMessage> received() {
        std::lock_guard<std::mutex> g(m_mutex);
        return m_received;
    }
    /// Sends `m` to the viewer being served (after its script), as soon as the serving loop comes
    /// round (within ~50 ms): a test paces a stream by waiting for each message to show.
    void sendLater(WireMessage m) {
        std::lock_guard<std::mutex> g(m_mutex);
        m_outbox.push_back(std::move(m));
    }
    /// Hellos received.
    std::vector<Hello> hellos() {
        std::lock_guard<std::mutex> g(m_mutex);
        return m_hellos;
    }

private:
    static bool sendAll(int fd, const std::vector<std::uint8_t>& b) {
        std::size_t off = 0;
        while (off < b.size()) {
            ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += std::size_t(n);
        }
        return true;
    }
    void run() {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0) continue;
            serve(fd);
            ::close(fd);
        }
    }
    void serve(int fd) {
        FrameDecoder dec;
        bool greeted = false;
        Encoding enc = Encoding::Json;
        std::uint8_t buf[4096];
        while (!m_stop) {
            if (greeted) {
                std::vector<WireMessage> out;
                {
                    std::lock_guard<std::mutex> g(m_mutex);
                    out.swap(m_outbox);
                }
                for (const auto& m2 : out) sendAll(fd, *Codec::encodeFrame(m2, enc));
            }
            Frame f;
            auto st = dec.next(f);
            if (st == FrameDecoder::Status::Error) return;
            if (st == FrameDecoder::Status::Frame) {
                auto m = Codec::decodeFrame(f);
                if (!m.ok()) return;
                if (!greeted) {
                    auto* h = std::get_if<Hello>(&*m);
                    if (!h) return;
                    {
                        std::lock_guard<std::mutex> g(m_mutex);
                        m_hellos.push_back(*h);
                    }
                    if (!rawAnswer.empty()) {
                        sendAll(fd, rawAnswer);
                        return;
                    }
                    Refusal r;
                    r.serverMajor = major;
                    r.serverMinor = minor;
                    r.clientMajor = h->versionMajor;
                    r.clientMinor = h->versionMinor;
                    if (h->magic != "CANOPY") {
                        r.code = "bad_magic";
                        r.message = "not a Canopy viewer";
                    } else if (h->versionMajor != major) {
                        r.code = "version_mismatch";
                        r.message = "protocol " + std::to_string(h->versionMajor) + "." + std::to_string(h->versionMinor) + " not supported";
                    } else if (!token.empty() && h->token != token) {
                        r.code = "bad_token";
                        r.message = "wrong or missing token";
                    }
                    if (!r.code.empty()) {
                        sendAll(fd, *Codec::encodeFrame(r, Encoding::Json));
                        return;
                    }
                    Welcome w;
                    w.versionMajor = major;
                    w.versionMinor = minor;
                    w.encoding = h->encoding;
                    w.startNs = startNs;
                    w.nowNs = startNs;
                    w.server = "fake-probe";
                    enc = h->encoding == "cbor" ? Encoding::Cbor : Encoding::Json;
                    sendAll(fd, *Codec::encodeFrame(w, Encoding::Json));
                    for (const auto& m2 : script) sendAll(fd, *Codec::encodeFrame(m2, enc));
                    if (!scriptFrames.empty()) sendAll(fd, scriptFrames);
                    greeted = true;
                    if (closeAfterScript) return;
                } else {
                    std::lock_guard<std::mutex> g(m_mutex);
                    m_received.push_back(*m);
                }
                continue;
            }
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return;
            dec.feed(buf, std::size_t(n));
        }
    }

    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<WireMessage> m_received;
    std::vector<Hello> m_hellos;
    std::vector<WireMessage> m_outbox;
};

} // namespace canopy::introspection::testing
