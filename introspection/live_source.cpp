#include "introspection/live_source.h"
#include "introspection/codec.h"
#include "introspection/protocol.h"
#include <cerrno>
#include <algorithm>
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
/// Milliseconds until `deadline`, rounded up (a poll never wakes just before it), 0 when past.
int remainingMs(std::chrono::steady_clock::time_point deadline) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1LL << 30));
}
} // namespace

LiveSource::~LiveSource() { close(); }

void LiveSource::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    m_out.clear();
    m_outSent = 0;
    if (m_phase != Phase::Failed) m_phase = Phase::Idle;
}

Source::Outcome LiveSource::fail(std::string message) {
    m_error = std::move(message);
    close();
    return Source::Outcome::Error;
}

LiveSource::Progress LiveSource::failConnect(ConnectError kind, std::string message) {
    m_connectError = kind;
    m_error = std::move(message);
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    m_out.clear();
    m_outSent = 0;
    m_phase = Phase::Failed;
    return Progress::Failed;
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

bool LiveSource::flushOut() {
    while (m_fd >= 0 && m_outSent < m_out.size()) {
        ssize_t n = ::send(m_fd, m_out.data() + m_outSent, m_out.size() - m_outSent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            m_outSent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        m_lastSocketError = std::strerror(errno);
        return false;
    }
    m_out.clear();
    m_outSent = 0;
    return true;
}

Status LiveSource::send(const WireMessage& message) {
    if (m_fd < 0) return Status::failure("not connected");
    const std::size_t before = m_out.size();
    Codec::appendFrame(m_out, message, m_options.encoding);
    if (m_out.size() - before - protocol::kFrameHeaderSize > m_options.maxFrameSize) {
        m_out.resize(before);
        return Status::failure("message too large to send");
    }
    if (!flushOut()) return Status::failure("cannot send to the probe: " + m_lastSocketError);
    return {};
}

Source::Outcome LiveSource::receive(int timeoutMs) {
    pollfd pfd{m_fd, POLLIN, 0};
    if (m_outSent < m_out.size()) pfd.events |= POLLOUT;
    int pr = ::poll(&pfd, 1, timeoutMs);
    if (pr < 0) {
        if (errno == EINTR) return Source::Outcome::Message; // nothing read; the caller loops
        return fail(std::string("connection lost: ") + std::strerror(errno));
    }
    if (pr == 0) return Source::Outcome::Timeout;
    if ((pfd.revents & POLLOUT) && !flushOut()) return fail("connection lost: " + m_lastSocketError);
    if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR))) return Source::Outcome::Message;
    // Take what the socket holds (a big keyframe arrives in many segments), in bounded gulps,
    // straight into the decoder's buffer (sized for the whole frame once its header is in).
    for (int round = 0; round < 64; ++round) {
        const std::span<std::uint8_t> room = m_decoder.writeSpace(256 * 1024);
        if (room.empty()) break; // (never: recv() into no room returns 0, which would read as a close)
        ssize_t n = ::recv(m_fd, room.data(), room.size(), MSG_DONTWAIT);
        if (n > 0) {
            m_decoder.commit(static_cast<std::size_t>(n));
            if (static_cast<std::size_t>(n) < room.size()) break;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n == 0) {
            const bool midFrame = m_decoder.buffered() > 0;
            close();
            if (midFrame) {
                m_error = "the probe closed the connection mid-frame";
                return Source::Outcome::Error;
            }
            return Source::Outcome::End;
        }
        return fail(std::string("connection lost: ") + std::strerror(errno));
    }
    return Source::Outcome::Message;
}

bool LiveSource::tryNextAddress() {
    while (m_nextAddress < m_addresses.size()) {
        const Address& a = m_addresses[m_nextAddress++];
        int fd = ::socket(a.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            m_lastSocketError = std::strerror(errno);
            continue;
        }
        int r = ::connect(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.length);
        if (r != 0 && errno != EINPROGRESS) {
            m_lastSocketError = std::strerror(errno);
            ::close(fd);
            continue;
        }
        m_fd = fd;
        m_phase = Phase::Connecting;
        return true;
    }
    return false;
}

void LiveSource::begin(const Options& options) {
    close();
    m_options = options;
    m_decoder = FrameDecoder(options.maxFrameSize);
    m_error.clear();
    m_connectError = ConnectError::None;
    m_refusal = Refusal{};
    m_welcome = Welcome{};
    m_addresses.clear();
    m_nextAddress = 0;
    m_lastSocketError = "no address";
    m_phase = Phase::Connecting;
    m_deadline = Clock::now() + std::chrono::milliseconds(std::max(0, options.connectTimeoutMs));

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST; // numeric addresses never block
    addrinfo* res = nullptr;
    const std::string port = std::to_string(options.port);
    int rc = ::getaddrinfo(options.host.c_str(), port.c_str(), &hints, &res);
    if (rc == EAI_NONAME) {
        hints.ai_flags = AI_NUMERICSERV; // a host name: the resolver may take a moment
        rc = ::getaddrinfo(options.host.c_str(), port.c_str(), &hints, &res);
    }
    if (rc != 0) {
        failConnect(ConnectError::Resolve, "cannot resolve " + options.host + ": " + ::gai_strerror(rc));
        return;
    }
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
        Address a;
        std::memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
        a.length = ai->ai_addrlen;
        a.family = ai->ai_family;
        m_addresses.push_back(a);
    }
    ::freeaddrinfo(res);
    if (!tryNextAddress())
        failConnect(ConnectError::Unreachable, "cannot connect to " + describe() + ": " + m_lastSocketError);
}

LiveSource::Progress LiveSource::handleAnswer(WireMessage& answer) {
    const std::string where = describe();
    const std::string ours = std::to_string(protocol::kVersionMajor) + "." + std::to_string(protocol::kVersionMinor);
    if (auto* ref = std::get_if<Refusal>(&answer)) {
        m_refusal = *ref;
        std::string msg = where + " refused the connection (" + ref->code + "): " + ref->message;
        ConnectError kind = ConnectError::Refused;
        if (ref->code == "bad_token") kind = ConnectError::BadToken;
        if (ref->code == "version_mismatch") {
            kind = ConnectError::VersionMismatch;
            msg += " [probe speaks " + std::to_string(ref->serverMajor) + "." + std::to_string(ref->serverMinor) +
                   ", we speak " + ours + "]";
        }
        return failConnect(kind, msg);
    }
    auto* w = std::get_if<Welcome>(&answer);
    if (!w)
        return failConnect(ConnectError::NotAProbe, where + " is not a Canopy probe: expected a welcome, got '" +
                                                        std::string(messageTypeName(answer)) + "'");
    if (w->versionMajor != protocol::kVersionMajor) {
        m_refusal.code = "version_mismatch";
        m_refusal.serverMajor = w->versionMajor;
        m_refusal.serverMinor = w->versionMinor;
        m_refusal.clientMajor = protocol::kVersionMajor;
        m_refusal.clientMinor = protocol::kVersionMinor;
        return failConnect(ConnectError::VersionMismatch,
                           where + ": protocol version mismatch: probe speaks " + std::to_string(w->versionMajor) +
                               "." + std::to_string(w->versionMinor) + ", we speak " + ours);
    }
    m_welcome = *w;
    if (auto enc = parseEncoding(w->encoding)) m_options.encoding = *enc;
    m_phase = Phase::Streaming;
    return Progress::Connected;
}

LiveSource::Progress LiveSource::advance(int timeoutMs) {
    const std::string where = describe();
    const auto until = Clock::now() + std::chrono::milliseconds(std::max(0, timeoutMs));
    while (true) {
        switch (m_phase) {
        case Phase::Streaming: return Progress::Connected;
        case Phase::Failed: return Progress::Failed;
        case Phase::Idle: return failConnect(ConnectError::Io, where + ": not connecting");
        case Phase::Connecting:
        case Phase::Handshaking: break;
        }
        const auto now = Clock::now();
        if (now >= m_deadline) {
            if (m_phase == Phase::Connecting)
                return failConnect(ConnectError::Timeout, "cannot connect to " + where + ": connection timed out");
            return failConnect(ConnectError::Timeout, where + ": no handshake answer within " +
                                                          std::to_string(m_options.connectTimeoutMs) + " ms");
        }
        const int wait = remainingMs(std::min(until, m_deadline));
        if (m_phase == Phase::Connecting) {
            pollfd pfd{m_fd, POLLOUT, 0};
            int pr = ::poll(&pfd, 1, wait);
            if (pr < 0 && errno == EINTR) continue;
            if (pr <= 0) {
                if (Clock::now() >= until && Clock::now() < m_deadline) return Progress::InProgress;
                continue;
            }
            int soerr = 0;
            socklen_t len = sizeof soerr;
            ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            if (soerr != 0) {
                m_lastSocketError = std::strerror(soerr);
                ::close(m_fd);
                m_fd = -1;
                if (!tryNextAddress())
                    return failConnect(ConnectError::Unreachable, "cannot connect to " + where + ": " + m_lastSocketError);
                continue;
            }
            int one = 1;
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            Hello hello;
            hello.token = m_options.token;
            hello.encoding = std::string(toString(m_options.encoding));
            hello.capabilities = {"samples", "cbor"};
            hello.client = m_options.client;
            m_out.clear();
            m_outSent = 0;
            Codec::appendFrame(m_out, hello, Encoding::Json); // the hello is always JSON
            if (!flushOut()) return failConnect(ConnectError::Io, where + ": cannot send the hello: " + m_lastSocketError);
            m_phase = Phase::Handshaking;
            continue;
        }
        // Handshaking: the answer is the first frame.
        Frame frame;
        switch (m_decoder.next(frame)) {
        case FrameDecoder::Status::Frame: {
            auto msg = Codec::decodeFrame(frame);
            if (!msg.ok())
                return failConnect(ConnectError::NotAProbe, where + " is not a Canopy probe: malformed answer (" + msg.error() + ")");
            return handleAnswer(*msg);
        }
        case FrameDecoder::Status::Error:
            return failConnect(ConnectError::NotAProbe, where + " is not a Canopy probe: malformed stream from the probe " + m_decoder.error());
        case FrameDecoder::Status::NeedMore: break;
        }
        Source::Outcome st = receive(wait);
        if (st == Source::Outcome::Timeout) {
            if (Clock::now() >= until && Clock::now() < m_deadline) return Progress::InProgress;
            continue;
        }
        if (st == Source::Outcome::End)
            return failConnect(ConnectError::Closed, where + ": the probe closed the connection during the handshake");
        if (st == Source::Outcome::Error) {
            const bool garbage = m_error.find("mid-frame") != std::string::npos;
            return failConnect(garbage ? ConnectError::NotAProbe : ConnectError::Io, where + ": " + m_error);
        }
    }
}

Status LiveSource::connect(const Options& options) {
    begin(options);
    Progress p = Progress::InProgress;
    while (p == Progress::InProgress) p = advance(options.connectTimeoutMs);
    if (p == Progress::Failed) return Status::failure(m_error);
    return {};
}

Source::Outcome LiveSource::next(WireMessage& out, int timeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? 0 : timeoutMs);
    while (true) {
        Frame frame;
        switch (m_decoder.next(frame)) {
        case FrameDecoder::Status::Frame: {
            auto msg = m_keyframeSink ? Codec::decodeKeyframeFrame(frame.payload, frame.flags, *m_keyframeSink)
                                      : Codec::decodeFrame(frame);
            if (!msg.ok())
                return fail("malformed frame from the probe at stream offset " + std::to_string(frame.offset) + ": " + msg.error());
            out = std::move(*msg);
            return Source::Outcome::Message;
        }
        case FrameDecoder::Status::Error:
            return fail("malformed stream from the probe " + m_decoder.error());
        case FrameDecoder::Status::NeedMore:
            break;
        }
        if (m_fd < 0) return m_error.empty() ? Source::Outcome::End : Source::Outcome::Error;
        Source::Outcome st = receive(timeoutMs < 0 ? -1 : remainingMs(deadline));
        if (st == Source::Outcome::Timeout) return st;
        // Message: bytes arrived (or nothing yet after a signal); End/Error: frames already buffered
        // are still handed out before the end is reported.
    }
}

} // namespace canopy::introspection
