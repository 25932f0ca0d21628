#include "raw_viewer.h"
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace canopy::introspection::test {

RawViewer::~RawViewer() { close(); }

bool RawViewer::connect(std::uint16_t port, int rcvBuf) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) return false;
    if (rcvBuf > 0) ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &rcvBuf, sizeof rcvBuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

bool RawViewer::sendRaw(const std::vector<std::uint8_t>& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(m_fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += std::size_t(n);
    }
    return true;
}

bool RawViewer::send(const WireMessage& msg, Encoding enc) {
    std::vector<std::uint8_t> out;
    Codec::appendFrame(out, msg, enc);
    return sendRaw(out);
}

bool RawViewer::hello(const std::string& token, int major, int minor, const std::string& encoding,
                      const std::string& magic) {
    Hello h;
    h.magic = magic;
    h.versionMajor = major;
    h.versionMinor = minor;
    h.token = token;
    h.encoding = encoding;
    h.client = "tst_probe";
    return send(h, Encoding::Json);
}

bool RawViewer::fill(int timeoutMs) {
    if (m_fd < 0 || m_eof) return false;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    std::uint8_t buf[65536];
    const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
    if (n <= 0) {
        m_eof = true;
        return false;
    }
    m_received += std::uint64_t(n);
    m_decoder.feed(buf, std::size_t(n));
    return true;
}

std::optional<WireMessage> RawViewer::next(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        Frame f;
        const auto st = m_decoder.next(f);
        if (st == FrameDecoder::Status::Frame) {
            auto msg = Codec::decodeFrame(f);
            if (!msg) return std::nullopt;
            return std::move(msg.value());
        }
        if (st == FrameDecoder::Status::Error) return std::nullopt;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0 || !fill(int(left))) return std::nullopt;
    }
}

std::size_t RawViewer::readSome(std::size_t maxBytes, int timeoutMs) {
    const auto before = m_received;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (m_received - before < maxBytes) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, int(left)) <= 0) break;
        std::uint8_t buf[4096];
        const std::size_t want = std::min<std::size_t>(sizeof buf, maxBytes - (m_received - before));
        const ssize_t n = ::recv(m_fd, buf, want, 0);
        if (n <= 0) {
            m_eof = true;
            break;
        }
        m_received += std::uint64_t(n);
        m_decoder.feed(buf, std::size_t(n));
    }
    return std::size_t(m_received - before);
}

bool RawViewer::waitClosed(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!m_eof) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, int(left)) <= 0) return false;
        std::uint8_t buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) m_eof = true;
        else m_received += std::uint64_t(n);
    }
    return true;
}

void RawViewer::close(bool reset) {
    if (m_fd < 0) return;
    if (reset) {
        linger l{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(m_fd);
    m_fd = -1;
}

} // namespace canopy::introspection::test
