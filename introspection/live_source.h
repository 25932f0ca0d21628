#pragma once
#include "introspection/encoding.h"
#include "introspection/frame_decoder.h"
#include "introspection/result.h"
#include "introspection/source.h"
#include "introspection/welcome.h"
#include <cstdint>
#include <string>

namespace canopy::introspection {

/// A Source connected to a probe over TCP (blocking POSIX sockets with poll() deadlines): does the
/// client side of the handshake, then yields keyframes, deltas, samples and other probe messages.
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

    LiveSource() = default;
    ~LiveSource() override;
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    /// Connects and handshakes. Errors name the problem: refused connection, bad token (with the
    /// probe's message), version mismatch (both versions), timeout, malformed answer.
    Status connect(const Options& options);
    /// The probe's welcome (valid after connect()).
    const Welcome& welcome() const { return m_welcome; }
    /// Sends a viewer request (subscribe, keyframe_request, command).
    Status send(const WireMessage& message);
    /// Closes the connection.
    void close();
    bool isConnected() const { return m_fd >= 0; }

    Source::Outcome next(WireMessage& out, int timeoutMs) override;
    const std::string& error() const override { return m_error; }
    std::int64_t startNs() const override { return m_welcome.startNs; }
    std::string describe() const override { return m_options.host + ":" + std::to_string(m_options.port); }

    /// Splits "host:port" (IPv6 as "[::1]:port"); error on anything else.
    static Result<std::pair<std::string, std::uint16_t>> parseHostPort(const std::string& text);

private:
    Source::Outcome fail(std::string message);
    Status sendAll(const std::vector<std::uint8_t>& bytes, int timeoutMs);

    Options m_options;
    int m_fd = -1;
    FrameDecoder m_decoder;
    Welcome m_welcome;
    std::string m_error;
};

} // namespace canopy::introspection
