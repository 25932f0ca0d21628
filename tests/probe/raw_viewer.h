#pragma once
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/wire_message.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace canopy::introspection::test {

/// A deliberately primitive viewer for probe tests: a blocking POSIX socket with poll() deadlines that
/// can send raw bytes, stop reading, or vanish mid-frame.
class RawViewer {
public:
    RawViewer() = default;
    ~RawViewer();
    /// Connects to 127.0.0.1:port; rcvBuf > 0 shrinks the receive buffer first (to stall sooner).
    bool connect(std::uint16_t port, int rcvBuf = 0);
    /// Sends bytes (all of them, or false).
    bool sendRaw(const std::vector<std::uint8_t>& bytes);
    /// Sends one message as a frame.
    bool send(const WireMessage& msg, Encoding enc = Encoding::Json);
    /// Sends a hello with this token/version/encoding.
    bool hello(const std::string& token, int major = 1, int minor = 0, const std::string& encoding = "json",
               const std::string& magic = "CANOPY");
    /// The next message, or nullopt on timeout/EOF/error (see eof()).
    std::optional<WireMessage> next(int timeoutMs);
    /// Reads and discards bytes for up to timeoutMs (or until EOF); returns the bytes read.
    std::size_t readSome(std::size_t maxBytes, int timeoutMs);
    /// True once the peer closed (or reset) the connection.
    bool eof() const { return m_eof; }
    /// Waits up to timeoutMs for the peer to close; true if it did.
    bool waitClosed(int timeoutMs);
    /// Closes the socket now (abortive when reset is true).
    void close(bool reset = false);
    /// Raw bytes received so far (counted by next()/readSome()).
    std::uint64_t received() const { return m_received; }

private:
    bool fill(int timeoutMs);
    int m_fd = -1;
    bool m_eof = false;
    std::uint64_t m_received = 0;
    FrameDecoder m_decoder;
};

} // namespace canopy::introspection::test
