#include "introspection/probe/flight_recorder.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/protocol.h"
#include "introspection/session_writer.h"
#include <ctime>

namespace canopy::introspection {

FlightRecorder::FlightRecorder(std::size_t maxEvents, double seconds)
    : m_maxEvents(maxEvents), m_windowNs(static_cast<std::int64_t>(seconds * 1e9)) {}

bool FlightRecorder::enter() noexcept {
    m_busy.store(true, std::memory_order_seq_cst);
    if (m_frozen.load(std::memory_order_seq_cst)) {
        m_busy.store(false, std::memory_order_release);
        return false;
    }
    return true;
}

void FlightRecorder::leave() noexcept { m_busy.store(false, std::memory_order_release); }

void FlightRecorder::freeze() noexcept {
    m_frozen.store(true, std::memory_order_seq_cst);
    // The owner checks m_frozen after raising m_busy: once m_busy reads false, no change is under way
    // and none will start. (If the owner itself was interrupted mid-change, the wait runs out and the
    // committed prefixes are written: whole frames only.)
    for (int i = 0; i < 500 && m_busy.load(std::memory_order_seq_cst); ++i) {
        timespec ms{0, 1'000'000};
        ::nanosleep(&ms, nullptr);
    }
}

std::int64_t FlightRecorder::startNs() const {
    const Generation& older = m_gen[1 - current()];
    const Generation& newer = m_gen[current()];
    if (older.hasBase) return older.startNs;
    return newer.hasBase ? newer.startNs : 0;
}

void FlightRecorder::record(Delta& delta) {
    if (!enabled()) return;
    delta.seq = ++m_seq;
    m_scratch.clear();
    try {
        Codec::appendFrame(m_scratch, delta, Encoding::Cbor);
    } catch (const std::exception&) {
        ++m_lost; // strings are sanitised upstream; never a crash
        return;
    }
    if (!enter()) return;
    Generation& g = m_gen[current()];
    if (g.events == 0 && !g.hasBase) g.startNs = delta.timeNs;
    if (g.log.append(m_scratch.data(), m_scratch.size())) ++g.events;
    else ++m_lost;
    leave();
}

bool FlightRecorder::needsRebase(std::int64_t nowNs) const {
    if (!enabled()) return false;
    const Generation& g = m_gen[current()];
    if (!g.hasBase) return true;
    if (g.events >= m_maxEvents) return true;
    return g.events > 0 && nowNs - g.startNs >= m_windowNs;
}

void FlightRecorder::rebase(const std::vector<std::uint8_t>& keyframeFrame, std::int64_t timeNs) {
    if (!enabled() || !enter()) return;
    const int older = 1 - current();
    Generation& next = m_gen[older];
    // Order matters to a signal handler reading along: empty the oldest generation first, then make
    // it the current one (the ring is now previous + empty), then give it its base.
    next.log.clear();
    next.events = 0;
    next.hasBase = false;
    m_current.store(older, std::memory_order_release);
    next.startNs = timeNs;
    next.hasBase = next.log.append(keyframeFrame.data(), keyframeFrame.size());
    Generation& previous = m_gen[1 - older];
    if (!previous.hasBase) {
        // Events recorded before the first base cannot be replayed onto a snapshot: forget them.
        m_lost += previous.events;
        previous.log.clear();
        previous.events = 0;
    }
    leave();
}

Status FlightRecorder::write(const std::string& path, const SessionHeader& header, Keyframe finalFrame) const {
    SessionWriter out;
    SessionWriter::Options options;
    options.keyframeEveryDeltas = 0; // the recorder provides its own keyframes
    if (auto st = out.open(path, header, options); !st) return st;
    std::vector<std::uint8_t> bytes;
    for (const Generation* g : {&m_gen[1 - current()], &m_gen[current()]}) {
        const std::size_t end = g->log.size();
        for (std::size_t pos = 0; pos + protocol::kFrameHeaderSize <= end;) {
            bytes.resize(protocol::kFrameHeaderSize);
            g->log.copyOut(pos, bytes.size(), bytes.data());
            const std::size_t length = (std::size_t(bytes[0]) << 24) | (std::size_t(bytes[1]) << 16) |
                                       (std::size_t(bytes[2]) << 8) | std::size_t(bytes[3]);
            bytes.resize(protocol::kFrameHeaderSize + length);
            g->log.copyOut(pos, bytes.size(), bytes.data());
            pos += bytes.size();
            Frame frame;
            std::size_t frameSize = 0;
            std::string error;
            if (FrameReader::readAt(bytes, bytes.size(), frame, frameSize, error) != FrameReader::Status::Frame)
                return Status::failure("flight recorder: bad frame in memory: " + error);
            auto msg = Codec::decodeFrame(frame);
            if (!msg) return Status::failure("flight recorder: bad frame in memory: " + msg.error());
            if (auto st = out.write(*msg); !st) return st;
        }
    }
    finalFrame.seq = m_seq;
    if (auto st = out.writeKeyframe(finalFrame); !st) return st;
    return out.close();
}

bool FlightRecorder::writeFrames(int fd) const noexcept {
    const int cur = current();
    return m_gen[1 - cur].log.writeTo(fd) && m_gen[cur].log.writeTo(fd);
}

} // namespace canopy::introspection
