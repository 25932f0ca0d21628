#pragma once
#include "introspection/encoding.h"
#include "introspection/frame_decoder.h"
#include "introspection/keyframe_sink.h"
#include "introspection/refusal.h"
#include "introspection/result.h"
#include "introspection/source.h"
#include "introspection/welcome.h"
#include <chrono>
#include <cstdint>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace canopy::introspection {

/// A Source connected to a probe over TCP (non-blocking POSIX sockets; every wait is a poll() with
/// the caller's timeout): does the client side of the handshake, then yields keyframes, deltas,
/// samples and other probe messages. The connection is made either at once (connect(), blocking up
/// to its deadline) or step by step (begin() + advance(), never waiting longer than asked).
class LiveSource : public Source {
public:
    /// Connection settings.
    struct Options {
        std::string host = "127.0.0.1";
        std::uint16_t port = 0;
        /// Token to present ("" = none).
        std::string token;
        /// Encoding asked for the stream.
        Encoding encoding = Encoding::Json;
        /// Deadline for connect + handshake.
        int connectTimeoutMs = 5000;
        /// Client name sent in the hello.
        std::string client = "canopy";
        /// Largest frame accepted from the probe.
        std::size_t maxFrameSize = protocol::kDefaultMaxFrameSize;
    };
    /// Why connecting failed (typed; error() has the one-line message naming target and problem).
    enum class ConnectError {
        None,
        Resolve,          ///< the host name does not resolve
        Unreachable,      ///< connection refused / network unreachable (nothing listens there)
        Timeout,          ///< no connection or no handshake answer before the deadline
        Closed,           ///< the peer closed the connection during the handshake
        NotAProbe,        ///< the answer is not a Canopy welcome (garbage, bad magic, wrong message)
        BadToken,         ///< refusal `bad_token`
        VersionMismatch,  ///< refusal `version_mismatch` or a welcome of another major version
        Refused,          ///< any other refusal (busy, unsupported_encoding, bad_hello, ...)
        Io,               ///< a socket error
    };
    /// Where a step-by-step connection stands.
    enum class Progress { InProgress, Connected, Failed };

    LiveSource() = default;
    ~LiveSource() override;
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    /// Connects and handshakes, blocking up to options.connectTimeoutMs. Errors name the problem
    /// (refused connection, bad token with the probe's message, version mismatch with both versions,
    /// timeout, malformed answer); connectError() types it.
    Status connect(const Options& options);
    /// Starts a connection without waiting (a host name that is not numeric is resolved here).
    void begin(const Options& options);
    /// Advances the connection started by begin(), waiting at most `timeoutMs` (0 = no wait).
    Progress advance(int timeoutMs);
    /// The typed reason of the last failed connection (None while connecting or connected).
    ConnectError connectError() const { return m_connectError; }
    /// The probe's refusal (when connectError() is BadToken, VersionMismatch or Refused; for a
    /// welcome of another major version, its versions are filled in).
    const Refusal& refusal() const { return m_refusal; }
    /// The probe's welcome (valid after connecting).
    const Welcome& welcome() const { return m_welcome; }
    /// Queues a viewer request (subscribe, keyframe_request, command) and sends what the socket takes
    /// now; the rest goes out during later next() calls. Never blocks.
    Status send(const WireMessage& message);
    /// Closes the connection.
    void close();
    /// True once the handshake succeeded and until the connection closes.
    bool isConnected() const { return m_fd >= 0 && m_phase == Phase::Streaming; }

    Source::Outcome next(WireMessage& out, int timeoutMs) override;
    /// While set (not null), next() hands a keyframe's records to `sink` as they are decoded and
    /// returns the Keyframe without them (Codec::decodeKeyframeFrame); other messages are unchanged.
    void setKeyframeSink(KeyframeSink* sink) { m_keyframeSink = sink; }
    const std::string& error() const override { return m_error; }
    std::int64_t startNs() const override { return m_welcome.startNs; }
    std::string describe() const override { return m_options.host + ":" + std::to_string(m_options.port); }

    /// Splits "host:port" (IPv6 as "[::1]:port"); error on anything else.
    static Result<std::pair<std::string, std::uint16_t>> parseHostPort(const std::string& text);

private:
    enum class Phase { Idle, Connecting, Handshaking, Streaming, Failed };
    struct Address {
        sockaddr_storage addr{};
        socklen_t length = 0;
        int family = 0;
    };
    using Clock = std::chrono::steady_clock;

    Progress failConnect(ConnectError kind, std::string message);
    Source::Outcome fail(std::string message);
    bool tryNextAddress();
    /// Writes queued bytes without blocking; false on a socket error.
    bool flushOut();
    /// Reads what is there (waiting up to `timeoutMs` for something); Outcome::Message means "bytes
    /// arrived", End/Error the connection ended.
    Source::Outcome receive(int timeoutMs);
    Progress handleAnswer(WireMessage& answer);

    Options m_options;
    Phase m_phase = Phase::Idle;
    int m_fd = -1;
    std::vector<Address> m_addresses;
    std::size_t m_nextAddress = 0;
    std::string m_lastSocketError;
    Clock::time_point m_deadline{};
    FrameDecoder m_decoder;
    KeyframeSink* m_keyframeSink = nullptr;
    std::vector<std::uint8_t> m_out;
    std::size_t m_outSent = 0;
    Welcome m_welcome;
    Refusal m_refusal;
    ConnectError m_connectError = ConnectError::None;
    std::string m_error;
};

} // namespace canopy::introspection
