#include "introspection/live_source.h"
#include "introspection/codec.h"
#include "introspection/protocol.h"
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace canopy::introspection {

namespace {
using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(ms);
}
} // namespace

LiveSource::~LiveSource() { close(); }

void LiveSource::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

Source::Outcome LiveSource::fail(std::string message) {
    m_error = std::move(message);
    close();
    return Source::Outcome::Error;
}

Result<std::pair<std::string, std::uint16_t>> LiveSource::parseHostPort(const std::string& text) {
    using R = Result<std::pair<std::string, std::uint16_t>>;
    std::string host, port;
    if (!text.empty() && text[0] == '[') {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return R::failure("'" + text + "' is not host:port");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos || colon == 0) return R::failure("'" + text + "' is not host:port");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        return R::failure("'" + text + "': port '" + port + "' is not a number");
    unsigned long p = std::stoul(port);
    if (p == 0 || p > 65535) return R::failure("'" + text + "': port " + port + " is out of range 1..65535");
    return std::make_pair(host, static_cast<std::uint16_t>(p));
}

Status LiveSource::sendAll(const std::vector<std::uint8_t>& bytes, int timeoutMs) {
    std::size_t sent = 0;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (sent < bytes.size()) {
        ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd pfd{m_fd, POLLOUT, 0};
            int left = remainingMs(deadline);
            if (left == 0 || ::poll(&pfd, 1, left) <= 0) return Status::failure("timed out sending to the probe");
            continue;
        }
        return Status::failure(std::string("cannot send to the probe: ") + std::strerror(errno));
    }
    return {};
}

Status LiveSource::send(const WireMessage& message) {
    if (m_fd < 0) return Status::failure("not connected");
    auto frame = Codec::encodeFrame(message, m_options.encoding);
    if (!frame.ok()) return Status::failure(frame.error());
    return sendAll(*frame, m_options.connectTimeoutMs);
}

Status LiveSource::connect(const Options& options) {
    close();
    m_options = options;
    m_decoder = FrameDecoder(options.maxFrameSize);
    m_error.clear();
    const std::string where = options.host + ":" + std::to_string(options.port);
    auto deadline = Clock::now() + std::chrono::milliseconds(options.connectTimeoutMs);

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = ::getaddrinfo(options.host.c_str(), std::to_string(options.port).c_str(), &hints, &res);
    if (rc != 0) return Status::failure("cannot resolve " + options.host + ": " + ::gai_strerror(rc));
    std::string lastError = "no address";
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            lastError = std::strerror(errno);
            continue;
        }
        int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (r != 0 && errno == EINPROGRESS) {
            pollfd pfd{fd, POLLOUT, 0};
            int pr = ::poll(&pfd, 1, remainingMs(deadline));
            if (pr <= 0) {
                ::close(fd);
                lastError = "connection timed out";
                continue;
            }
            int soerr = 0;
            socklen_t len = sizeof soerr;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            r = soerr == 0 ? 0 : -1;
            errno = soerr;
        }
        if (r != 0) {
            lastError = std::strerror(errno);
            ::close(fd);
            continue;
        }
        m_fd = fd;
        break;
    }
    ::freeaddrinfo(res);
    if (m_fd < 0) return Status::failure("cannot connect to " + where + ": " + lastError);
    int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    Hello hello;
    hello.token = options.token;
    hello.encoding = std::string(toString(options.encoding));
    hello.capabilities = {"samples", "cbor"};
    hello.client = options.client;
    auto frame = Codec::encodeFrame(hello, Encoding::Json);
    if (auto s = sendAll(*frame, remainingMs(deadline)); !s) {
        close();
        return Status::failure(where + ": " + s.error());
    }
    WireMessage answer;
    Source::Outcome st = next(answer, remainingMs(deadline));
    if (st == Source::Outcome::Timeout) {
        close();
        return Status::failure(where + ": no handshake answer within " + std::to_string(options.connectTimeoutMs) + " ms");
    }
    if (st == Source::Outcome::End) return Status::failure(where + ": the probe closed the connection during the handshake");
    if (st == Source::Outcome::Error) return Status::failure(where + ": " + m_error);
    if (auto* ref = std::get_if<Refusal>(&answer)) {
        close();
        std::string msg = where + " refused the connection (" + ref->code + "): " + ref->message;
        if (ref->code == "version_mismatch")
            msg += " [probe speaks " + std::to_string(ref->serverMajor) + "." + std::to_string(ref->serverMinor) +
                   ", we speak " + std::to_string(protocol::kVersionMajor) + "." +
                   std::to_string(protocol::kVersionMinor) + "]";
        return Status::failure(msg);
    }
    auto* w = std::get_if<Welcome>(&answer);
    if (!w) {
        close();
        return Status::failure(where + ": expected welcome, got '" + std::string(messageTypeName(answer)) + "'");
    }
    if (w->versionMajor != protocol::kVersionMajor) {
        close();
        return Status::failure(where + ": protocol version mismatch: probe speaks " + std::to_string(w->versionMajor) +
                               "." + std::to_string(w->versionMinor) + ", we speak " +
                               std::to_string(protocol::kVersionMajor) + "." + std::to_string(protocol::kVersionMinor));
    }
    m_welcome = *w;
    if (auto enc = parseEncoding(w->encoding)) m_options.encoding = *enc;
    return {};
}

Source::Outcome LiveSource::next(WireMessage& out, int timeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? 0 : timeoutMs);
    while (true) {
        Frame frame;
        switch (m_decoder.next(frame)) {
        case FrameDecoder::Status::Frame: {
            auto msg = Codec::decodeFrame(frame);
            if (!msg.ok()) return fail("malformed frame from the probe at stream offset " + std::to_string(frame.offset) + ": " + msg.error());
            out = std::move(*msg);
            return Source::Outcome::Message;
        }
        case FrameDecoder::Status::Error:
            return fail("malformed stream from the probe " + m_decoder.error());
        case FrameDecoder::Status::NeedMore:
            break;
        }
        if (m_fd < 0) return m_error.empty() ? Source::Outcome::End : Source::Outcome::Error;
        pollfd pfd{m_fd, POLLIN, 0};
        int wait = timeoutMs < 0 ? -1 : remainingMs(deadline);
        int pr = ::poll(&pfd, 1, wait);
        if (pr < 0 && errno == EINTR) {
            if (timeoutMs >= 0 && remainingMs(deadline) == 0) return Source::Outcome::Timeout;
            continue;
        }
        if (pr == 0) return Source::Outcome::Timeout;
        // Straight into the decoder's buffer, sized for the whole frame once its header is in.
        const std::span<std::uint8_t> room = m_decoder.writeSpace(65536);
        ssize_t n = ::recv(m_fd, room.data(), room.size(), MSG_DONTWAIT);
        if (n > 0) {
            m_decoder.commit(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n == 0) {
            close();
            if (m_decoder.buffered() > 0) {
                m_error = "the probe closed the connection mid-frame";
                return Source::Outcome::Error;
            }
            return Source::Outcome::End;
        }
        return fail(std::string("connection lost: ") + std::strerror(errno));
    }
}

} // namespace canopy::introspection
