#pragma once
#include "introspection/delta.h"
#include "introspection/encoding.h"
#include "introspection/frame_decoder.h"
#include "introspection/probe/viewer_queue.h"
#include "introspection/sample.h"
#include "introspection/wire_message.h"
#include <asio.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy::introspection {

class ProbeTransport;

/// One viewer connected to the probe: handshake, its subscription, its bounded queue and its writer.
/// Lives on the probe's Asio thread only (no locks); a failed read or write closes it, and nothing the
/// peer sends can do more than that.
class ViewerConnection : public std::enable_shared_from_this<ViewerConnection> {
public:
    /// Takes the accepted socket; call start() next.
    ViewerConnection(ProbeTransport& transport, asio::ip::tcp::socket socket, std::uint64_t id);
    /// Begins the handshake (reads the hello with a deadline).
    void start();
    /// Closes the socket (idempotent); the server forgets the viewer.
    void close(const std::string& why);

    /// A structural event for this viewer (filtered by its subscription, numbered in place, queued).
    void deliver(Delta& delta);
    /// Sampler: the changes of one walk (pid, new mailbox or -1, new handled count or UINT64_MAX)
    /// plus totals; the viewer merges them and emits a Sample when its own period elapsed.
    /// `walkNs` is when the totals were measured (walks may be rarer than samples, see ProbeServer).
    void sampleTick(std::int64_t nowNs, std::int64_t walkNs, std::uint64_t processCount, std::int64_t totalMailbox,
                    std::uint64_t totalHandled, const std::vector<std::uint64_t>& changedPids,
                    const std::vector<std::int64_t>& changedMailbox,
                    const std::vector<std::uint64_t>& changedHandled);
    /// Starts writing queued frames when idle (builds the resync keyframe first when due).
    void flush();

    /// True once the handshake succeeded and until closed.
    bool streaming() const { return m_streaming && m_open; }
    bool open() const { return m_open; }
    /// Samples per second this viewer asked for (0 = none).
    double sampleHz() const { return m_streaming ? m_sampleHz : 0.0; }
    std::uint64_t id() const { return m_id; }
    /// The viewer's queue (counters for tests and metrics).
    const ViewerQueue& queue() const { return m_queue; }
    /// Marks the viewer for a resync keyframe (events were lost upstream).
    void requestResync() { m_queue.requestResync(); }
    /// Resyncs sent (overflow or requested).
    std::uint64_t resyncs() const { return m_resyncs; }

private:
    void readMore();
    void onBytes(std::size_t n);
    bool takeHello(std::size_t n);
    void endHandshake();
    void handle(WireMessage&& msg);
    void handleHello(const Hello& hello);
    void refuse(const std::string& code, const std::string& message, int clientMajor, int clientMinor);
    void sendKeyframe();
    void queueResync(const std::string& reason);
    void startWrite();
    FrameBytes encode(const WireMessage& msg, Encoding enc) const;
    bool inSubtree(std::uint64_t pid) const;

    ProbeTransport& m_transport;
    asio::ip::tcp::socket m_socket;
    asio::steady_timer m_handshakeTimer;
    std::uint64_t m_id;
    bool m_open = true;
    bool m_streaming = false;
    bool m_closeAfterWrite = false;
    bool m_writing = false;
    bool m_handshakeCounted = true; ///< counted by the server among connections waiting for a hello
    Encoding m_encoding = Encoding::Json;
    FrameDecoder m_decoder;
    std::vector<std::uint8_t> m_readBuffer;
    std::vector<std::uint8_t> m_helloBytes; ///< bytes received before the hello was complete
    ViewerQueue m_queue;
    std::vector<FrameBytes> m_inflight;
    std::uint64_t m_seq = 0;
    std::uint64_t m_resyncs = 0;
    std::string m_resyncReason;
    // Subscription.
    std::uint64_t m_root = 0;
    std::unordered_set<std::uint64_t> m_members;
    double m_sampleHz = 1.0;
    std::int64_t m_lastSampleNs = 0;
    std::uint64_t m_lastTotalHandled = 0;
    std::int64_t m_lastWalkNs = 0;
    double m_lastRate = 0.0;
    bool m_haveHandledBase = false;
    std::unordered_map<std::uint64_t, std::int64_t> m_pendingMailbox;
    std::unordered_map<std::uint64_t, std::uint64_t> m_pendingHandled;
};

} // namespace canopy::introspection
