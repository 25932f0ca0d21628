#include "introspection/probe/viewer_connection.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/probe/keyframe_encoder.h"
#include "introspection/probe/probe_source.h"
#include "introspection/probe/probe_transport.h"
#include "introspection/probe/probe_token.h"
#include "introspection/protocol.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

namespace canopy::introspection {

namespace {
constexpr std::size_t kMaxViewerFrame = 1u << 20;   // viewers send small requests
// Before it authenticates a connection holds at most a few KiB: a hello is a few hundred bytes, so a
// larger first frame is refused as soon as its header arrives, and reads are small.
constexpr std::size_t kMaxHelloFrame = 4096;
constexpr std::size_t kHandshakeReadSize = 4096;
constexpr std::size_t kStreamingReadSize = 64 * 1024;
constexpr std::size_t kMaxBatchFrames = 256;
constexpr std::size_t kMaxBatchBytes = 4u << 20;
constexpr std::size_t kMaxControlBacklog = 1024;    // replies a viewer may leave unread
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
} // namespace

ViewerConnection::ViewerConnection(ProbeTransport& transport, asio::ip::tcp::socket socket, std::uint64_t id)
    : m_transport(transport), m_socket(std::move(socket)), m_handshakeTimer(transport.io()), m_id(id),
      m_decoder(kMaxViewerFrame), m_queue(transport.options().viewerQueueLimit) {}

void ViewerConnection::start() {
    std::error_code ec;
    m_socket.set_option(asio::ip::tcp::no_delay(true), ec);
    m_handshakeTimer.expires_after(kHandshakeTimeout);
    m_handshakeTimer.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (!ec && !self->m_streaming && self->m_open) self->close("no hello within 10 s");
    });
    readMore();
}

void ViewerConnection::endHandshake() {
    if (!m_handshakeCounted) return;
    m_handshakeCounted = false;
    m_transport.handshakeEnded();
}

void ViewerConnection::close(const std::string& why) {
    if (!m_open) return;
    m_open = false;
    m_streaming = false;
    endHandshake();
    m_helloBytes = {};
    std::error_code ec;
    m_socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
    m_handshakeTimer.cancel();
    if (!why.empty()) std::cerr << "canopy probe: viewer " << m_id << " closed: " << why << "\n";
    m_transport.viewerClosed(m_id);
}

void ViewerConnection::readMore() {
    if (!m_open || m_closeAfterWrite) return;
    m_readBuffer.resize(m_streaming ? kStreamingReadSize : kHandshakeReadSize);
    m_socket.async_read_some(asio::buffer(m_readBuffer),
                             [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                                 if (!self->m_open) return;
                                 if (ec) {
                                     // EOF or reset: the viewer left (possibly mid-frame).
                                     self->close("");
                                     return;
                                 }
                                 self->onBytes(n);
                             });
}

bool ViewerConnection::takeHello(std::size_t n) {
    m_helloBytes.insert(m_helloBytes.end(), m_readBuffer.begin(), m_readBuffer.begin() + std::ptrdiff_t(n));
    Frame frame;
    std::size_t frameSize = 0;
    std::string error;
    switch (FrameReader::readAt(m_helloBytes, kMaxHelloFrame, frame, frameSize, error)) {
    case FrameReader::Status::NeedMore:
        readMore();
        return false;
    case FrameReader::Status::Error:
        refuse("bad_hello", "malformed first frame: " + error + " (a hello is at most " +
                                std::to_string(kMaxHelloFrame) + " bytes)", 0, 0);
        return false;
    case FrameReader::Status::Frame:
        break;
    }
    auto msg = Codec::decodeFrame(frame);
    if (!msg) {
        refuse("bad_hello", "malformed hello: " + msg.error(), 0, 0);
        return false;
    }
    handle(std::move(msg.value()));
    if (!m_streaming || !m_open) return false;
    // Whatever followed the hello (a pipelined subscribe) goes through the streaming decoder.
    m_decoder.feed(m_helloBytes.data() + frameSize, m_helloBytes.size() - frameSize);
    m_helloBytes = {};
    return true;
}

void ViewerConnection::onBytes(std::size_t n) {
    if (!m_streaming) {
        if (!takeHello(n)) return;
    } else {
        m_decoder.feed(m_readBuffer.data(), n);
    }
    for (;;) {
        if (!m_open || m_closeAfterWrite) return;
        Frame frame;
        const auto st = m_decoder.next(frame);
        if (st == FrameDecoder::Status::NeedMore) break;
        if (st == FrameDecoder::Status::Error) {
            if (!m_streaming) refuse("bad_hello", "malformed frame: " + m_decoder.error(), 0, 0);
            else close("malformed frame: " + m_decoder.error());
            return;
        }
        auto msg = Codec::decodeFrame(frame);
        if (!msg) {
            if (!m_streaming) refuse("bad_hello", "malformed hello: " + msg.error(), 0, 0);
            else close("malformed frame: " + msg.error());
            return;
        }
        handle(std::move(msg.value()));
    }
    readMore();
}

void ViewerConnection::handle(WireMessage&& msg) {
    if (!m_streaming) {
        if (const auto* hello = std::get_if<Hello>(&msg)) handleHello(*hello);
        else refuse("bad_hello", "expected a hello, got " + std::string(messageTypeName(msg)), 0, 0);
        return;
    }
    if (const auto* sub = std::get_if<Subscribe>(&msg)) {
        m_root = sub->root;
        double hz = sub->sampleHz;
        if (!std::isfinite(hz) || hz < 0) hz = 0;
        m_sampleHz = std::min(hz, 50.0);
        m_pendingMailbox.clear();
        m_pendingHandled.clear();
        // Deferred until the writer is free: a flood of requests from a viewer costs one walk per
        // keyframe it actually reads.
        m_queue.requestResync();
        m_resyncReason = "subscription_changed";
        m_transport.samplingChanged();
    } else if (std::holds_alternative<KeyframeRequest>(msg)) {
        m_queue.requestResync();
        if (m_resyncReason.empty()) m_resyncReason = "requested";
    } else if (const auto* cmd = std::get_if<Command>(&msg)) {
        if (m_queue.controlSize() >= kMaxControlBacklog) {
            close("viewer does not read its command results");
            return;
        }
        std::weak_ptr<ViewerConnection> weak = shared_from_this();
        auto reply = [weak](CommandResult result) {
            auto self = weak.lock();
            if (!self || !self->m_open) return;
            self->m_queue.pushControl(self->encode(result, self->m_encoding));
            self->flush();
        };
        if (!m_transport.options().allowCommands) {
            CommandResult result;
            result.id = cmd->id;
            result.message = "commands are disabled";
            reply(std::move(result));
        } else {
            m_transport.source().runCommand(*cmd, reply);
        }
    }
    // Other messages are not requests: ignored.
    flush();
}

void ViewerConnection::handleHello(const Hello& hello) {
    using namespace protocol;
    if (hello.magic != kMagic) {
        refuse("bad_magic", "not a canopy viewer (bad magic)", hello.versionMajor, hello.versionMinor);
        return;
    }
    if (hello.versionMajor != kVersionMajor) {
        refuse("version_mismatch",
               "protocol " + std::to_string(hello.versionMajor) + "." + std::to_string(hello.versionMinor) +
                   " not supported (probe speaks " + std::to_string(kVersionMajor) + "." +
                   std::to_string(kVersionMinor) + ")",
               hello.versionMajor, hello.versionMinor);
        return;
    }
    if (!ProbeToken::equal(hello.token, m_transport.token())) {
        refuse("bad_token",
               hello.token.empty() ? "a token is required (see the probe's token file)"
                                   : "wrong token (see the probe's token file)",
               hello.versionMajor, hello.versionMinor);
        return;
    }
    const auto enc = parseEncoding(hello.encoding);
    if (!enc) {
        refuse("unsupported_encoding", "encoding '" + hello.encoding + "' not supported (json, cbor)",
               hello.versionMajor, hello.versionMinor);
        return;
    }
    m_handshakeTimer.cancel();
    m_encoding = *enc;
    m_streaming = true;
    endHandshake();
    Welcome w;
    w.versionMajor = kVersionMajor;
    w.versionMinor = kVersionMinor;
    w.encoding = std::string(toString(m_encoding));
    w.capabilities = {"samples", "subtree"};
    if (m_transport.options().allowCommands) w.capabilities.push_back("commands");
    if (m_transport.options().metricsPort) w.capabilities.push_back("metrics");
    w.startNs = m_transport.source().startNs();
    w.nowNs = m_transport.source().nowNs();
    w.server = m_transport.source().describe();
    w.commandsEnabled = m_transport.options().allowCommands;
    m_queue.pushControl(encode(w, Encoding::Json));
    flush(); // the welcome goes out before the (possibly large) keyframe is built
    sendKeyframe();
    m_transport.samplingChanged();
    flush();
}

void ViewerConnection::refuse(const std::string& code, const std::string& message, int clientMajor,
                              int clientMinor) {
    Refusal r;
    r.code = code;
    r.message = message;
    r.serverMajor = protocol::kVersionMajor;
    r.serverMinor = protocol::kVersionMinor;
    r.clientMajor = clientMajor;
    r.clientMinor = clientMinor;
    std::cerr << "canopy probe: viewer " << m_id << " refused: " << message << "\n";
    m_transport.handshakeRefused();
    endHandshake();
    m_streaming = false;
    m_queue.pushControl(encode(r, Encoding::Json));
    m_closeAfterWrite = true;
    flush();
}

void ViewerConnection::sendKeyframe() {
    if (m_root == 0) {
        // The whole tree: streamed straight from the table walk (B14's path).
        m_transport.source().catchUp(); // delivers pending events first: they are in the walk
        auto bytes = std::make_shared<std::vector<std::uint8_t>>();
        m_transport.source().appendKeyframeFrame(*bytes, m_seq, m_encoding);
        m_queue.discardStructural();
        m_queue.pushControl(std::move(bytes));
        m_queue.clearResync();
        return;
    }
    Keyframe kf = m_transport.source().buildKeyframe(m_root); // delivers pending events first
    kf.seq = m_seq;
    if (m_root != 0) {
        m_members.clear();
        m_members.reserve(kf.processes.size());
        for (const auto& r : kf.processes) m_members.insert(r.pid);
    }
    m_queue.discardStructural();
    auto bytes = std::make_shared<std::vector<std::uint8_t>>();
    KeyframeEncoder::appendFrame(*bytes, kf, m_encoding);
    m_queue.pushControl(std::move(bytes));
    m_queue.clearResync();
}

void ViewerConnection::queueResync(const std::string& reason) {
    ++m_resyncs;
    ResyncNotice n;
    n.dropped = m_queue.dropped();
    n.reason = reason;
    m_queue.pushControl(encode(n, m_encoding));
    sendKeyframe();
}

bool ViewerConnection::inSubtree(std::uint64_t pid) const {
    return m_root == 0 || m_members.count(pid) != 0;
}

void ViewerConnection::deliver(Delta& delta) {
    if (!m_streaming || !m_open) return;
    if (m_root != 0) {
        bool relevant = false;
        switch (delta.type) {
        case DeltaType::Spawn:
            relevant = m_members.count(delta.peer) != 0;
            if (relevant) m_members.insert(delta.pid);
            break;
        case DeltaType::ChildStarted:
        case DeltaType::ChildRestarted:
            relevant = m_members.count(delta.peer) != 0 || m_members.count(delta.pid) != 0;
            if (relevant) m_members.insert(delta.pid);
            break;
        case DeltaType::Exit:
            relevant = m_members.erase(delta.pid) != 0;
            break;
        default:
            relevant = m_members.count(delta.pid) != 0 || m_members.count(delta.peer) != 0;
            break;
        }
        if (!relevant) return;
    }
    if (m_queue.needsResync()) {
        m_queue.pushStructural(nullptr); // counted; the coming keyframe supersedes it
        return;
    }
    delta.seq = ++m_seq;
    m_queue.pushStructural(encode(delta, m_encoding));
}

void ViewerConnection::sampleTick(std::int64_t nowNs, std::int64_t walkNs, std::uint64_t processCount,
                                  std::int64_t totalMailbox,
                                  std::uint64_t totalHandled, const std::vector<std::uint64_t>& changedPids,
                                  const std::vector<std::int64_t>& changedMailbox,
                                  const std::vector<std::uint64_t>& changedHandled) {
    if (!m_streaming || !m_open || m_sampleHz <= 0) return;
    for (std::size_t i = 0; i < changedPids.size(); ++i) {
        const auto pid = changedPids[i];
        if (!inSubtree(pid)) continue;
        if (changedMailbox[i] >= 0) m_pendingMailbox[pid] = changedMailbox[i];
        if (changedHandled[i] != UINT64_MAX) m_pendingHandled[pid] = changedHandled[i];
    }
    const auto periodNs = static_cast<std::int64_t>(1e9 / m_sampleHz);
    if (m_lastSampleNs != 0 && nowNs - m_lastSampleNs < periodNs - periodNs / 10) return;
    Sample s;
    s.timeNs = nowNs;
    s.processCount = processCount;
    s.totalMailbox = totalMailbox;
    if (m_haveHandledBase && walkNs > m_lastWalkNs && totalHandled >= m_lastTotalHandled)
        m_lastRate = double(totalHandled - m_lastTotalHandled) * 1e9 / double(walkNs - m_lastWalkNs);
    s.messageRate = m_lastRate;
    s.mailboxes.assign(m_pendingMailbox.begin(), m_pendingMailbox.end());
    s.handled.assign(m_pendingHandled.begin(), m_pendingHandled.end());
    std::sort(s.mailboxes.begin(), s.mailboxes.end());
    std::sort(s.handled.begin(), s.handled.end());
    m_pendingMailbox.clear();
    m_pendingHandled.clear();
    m_lastSampleNs = nowNs;
    if (walkNs != m_lastWalkNs) {
        m_lastTotalHandled = totalHandled;
        m_lastWalkNs = walkNs;
    }
    m_haveHandledBase = true;
    m_queue.setSample(encode(s, m_encoding));
}

void ViewerConnection::flush() {
    if (!m_open || m_writing) return;
    if (m_streaming && m_queue.needsResync()) {
        const std::string reason = m_resyncReason.empty() ? std::string("queue_overflow") : m_resyncReason;
        m_resyncReason.clear();
        queueResync(reason);
    }
    startWrite();
}

void ViewerConnection::startWrite() {
    m_inflight.clear();
    std::size_t bytes = 0;
    while (m_inflight.size() < kMaxBatchFrames && bytes < kMaxBatchBytes) {
        FrameBytes f = m_queue.pop();
        if (!f) break;
        bytes += f->size();
        m_inflight.push_back(std::move(f));
    }
    if (m_inflight.empty()) {
        if (m_closeAfterWrite) close("");
        return;
    }
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(m_inflight.size());
    for (const auto& f : m_inflight) buffers.emplace_back(asio::buffer(*f));
    m_writing = true;
    asio::async_write(m_socket, buffers, [self = shared_from_this()](const std::error_code& ec, std::size_t) {
        self->m_writing = false;
        self->m_inflight.clear();
        if (!self->m_open) return;
        if (ec) {
            self->close(ec.message());
            return;
        }
        self->flush();
    });
}

FrameBytes ViewerConnection::encode(const WireMessage& msg, Encoding enc) const {
    auto bytes = std::make_shared<std::vector<std::uint8_t>>();
    try {
        Codec::appendFrame(*bytes, msg, enc);
    } catch (const std::exception& e) {
        // Strings are sanitised upstream; this is a last line of defence, never a crash.
        std::cerr << "canopy probe: cannot encode " << messageTypeName(msg) << ": " << e.what() << "\n";
        bytes->clear();
    }
    return bytes;
}

} // namespace canopy::introspection
