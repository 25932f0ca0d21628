#include "introspection/session_writer.h"
#include "introspection/saturating.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/payload_compression.h"
#include "introspection/protocol.h"
#include "introspection/session_file_format.h"
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace canopy::introspection {

SessionWriter::~SessionWriter() { close(); }

Status SessionWriter::open(const std::string& path, const SessionHeader& header, Options options) {
    close();
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file) return Status::failure("cannot create " + path + ": " + std::strerror(errno));
    m_path = path;
    m_options = options;
    m_offset = 0;
    m_index = SessionIndex{};
    m_model = SessionModel{};
    m_model.setStartNs(header.startNs);
    m_timeline = TimelineBuilder{};
    m_lastKeyframeNs = header.startNs;
    m_deltasSinceKeyframe = 0;
    m_bytesSinceKeyframe = 0;
    m_lastKeyframeBytes = 0;
    if (std::fwrite(session_file::kFileMagic, 1, session_file::kMagicSize, m_file) != session_file::kMagicSize)
        return Status::failure("cannot write " + path + ": " + std::strerror(errno));
    m_offset = session_file::kMagicSize;
    SessionHeader h = header;
    h.formatVersion = options.compress ? 2 : 1;
    Status s = writeFrame(WireMessage(h));
    flush();
    return s;
}

template <class M>
Status SessionWriter::writeFrame(const M& message) {
    if (!m_file) return Status::failure("session file is not open");
    m_buffer.clear();
    Codec::appendFrame(m_buffer, message, m_options.encoding);
    // Keyframe cadence is judged on decoded bytes: what a seek has to decode and apply.
    m_lastFrameRawBytes = m_buffer.size();
    // The header stays plain, so any reader can tell the format version.
    bool header = false;
    if constexpr (std::is_same_v<M, WireMessage>) header = std::holds_alternative<SessionHeader>(message);
    else header = std::is_same_v<M, SessionHeader>;
    if (m_options.compress && !header) {
        const std::span<const std::uint8_t> payload(m_buffer.data() + protocol::kFrameHeaderSize,
                                                    m_buffer.size() - protocol::kFrameHeaderSize);
        m_packed.resize(protocol::kFrameHeaderSize);
        PayloadCompression::compress(payload, m_packed);
        FrameReader::writeHeader(m_packed.data(), static_cast<std::uint32_t>(m_packed.size() - protocol::kFrameHeaderSize),
                                 static_cast<std::uint8_t>(static_cast<std::uint8_t>(m_options.encoding) | protocol::kFlagCompressed));
        m_buffer.swap(m_packed);
    }
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
        return Status::failure("cannot write " + m_path + ": " + std::strerror(errno));
    m_offset += m_buffer.size();
    m_bytesSinceKeyframe += m_lastFrameRawBytes;
    ++m_index.frames;
    m_dirty = true;
    auto now = std::chrono::steady_clock::now();
    if (now - m_lastFlush >= m_options.flushInterval) flush();
    return {};
}

void SessionWriter::flush() {
    if (m_file && m_dirty) {
        std::fflush(m_file);
        m_dirty = false;
    }
    m_lastFlush = std::chrono::steady_clock::now();
}

void SessionWriter::dropSlotsOfLiveRecords(Keyframe& keyframe) {
    if (keyframe.childSlots.empty()) return;
    // Records of supervised children, ordered like the slots: by supervisor, then child id.
    std::vector<const ProcessRecord*> children;
    children.reserve(keyframe.processes.size());
    for (const auto& r : keyframe.processes)
        if (r.parent != 0 && !r.childId.empty()) children.push_back(&r);
    auto less = [](std::uint64_t sa, const std::string& ia, std::uint64_t sb, const std::string& ib) {
        return sa != sb ? sa < sb : ia < ib;
    };
    std::sort(children.begin(), children.end(), [&](const ProcessRecord* a, const ProcessRecord* b) {
        return less(a->parent, a->childId, b->parent, b->childId);
    });
    auto& slots = keyframe.childSlots;
    slots.erase(std::remove_if(slots.begin(), slots.end(),
                               [&](const ChildSlotStats& s) {
                                   auto it = std::lower_bound(children.begin(), children.end(), s,
                                                              [&](const ProcessRecord* r, const ChildSlotStats& x) {
                                                                  return less(r->parent, r->childId, x.supervisor, x.childId);
                                                              });
                                   if (it == children.end() || (*it)->parent != s.supervisor || (*it)->childId != s.childId)
                                       return false;
                                   return (*it)->restartCount == s.restarts && (*it)->lastExitReason == s.lastExit;
                               }),
                slots.end());
}

Status SessionWriter::writeKeyframeInternal(Keyframe&& keyframe, bool fromModel) {
    dropSlotsOfLiveRecords(keyframe);
    IndexEntry e{keyframe.timeNs, m_offset, keyframe.seq};
    Status s = writeFrame(keyframe);
    if (!s) return s;
    m_index.entries.push_back(e);
    m_timeline.fill(m_index); // the timeline up to this keyframe...
    m_timeline.addKeyframe(keyframe, fromModel); // ...which starts the next interval
    m_timeline.fill(m_index);
    m_index.endNs = std::max(m_index.endNs, keyframe.timeNs);
    m_lastKeyframeNs = keyframe.timeNs;
    m_deltasSinceKeyframe = 0;
    m_lastKeyframeBytes = m_lastFrameRawBytes;
    m_bytesSinceKeyframe = 0;
    flush();
    return {};
}

Status SessionWriter::writeKeyframe(const Keyframe& keyframe) {
    m_model.applyKeyframe(keyframe);
    // Written from the model so it carries the session's restart history (slots, restart counts).
    Keyframe enriched = m_model.makeKeyframe();
    enriched.timeNs = keyframe.timeNs;
    enriched.seq = keyframe.seq;
    return writeKeyframeInternal(std::move(enriched), false);
}

Status SessionWriter::write(const WireMessage& message) {
    if (auto* k = std::get_if<Keyframe>(&message)) return writeKeyframe(*k);
    if (auto* d = std::get_if<Delta>(&message)) {
        if (!m_model.hasBase()) m_model.assumeEmpty();
        m_model.applyDelta(*d);
        m_timeline.addDelta(*d);
        m_timeline.fill(m_index); // index() stays complete for readers of the recording so far
        Status s = writeFrame(message);
        if (!s) return s;
        ++m_index.deltas;
        ++m_deltasSinceKeyframe;
        m_index.endNs = std::max(m_index.endNs, d->timeNs);
        if (m_options.keyframeEveryDeltas > 0 && m_model.hasBase() && !m_model.needsKeyframe() &&
            (m_deltasSinceKeyframe >= m_options.keyframeEveryDeltas ||
             (m_options.keyframeBytesRatio > 0 &&
              double(m_bytesSinceKeyframe) >=
                  m_options.keyframeBytesRatio * double(std::max<std::uint64_t>(m_lastKeyframeBytes, 64 * 1024))) ||
             saturating::sub(d->timeNs, m_lastKeyframeNs) >= m_options.keyframeIntervalNs))
            return writeKeyframeInternal(m_model.makeKeyframe(), true);
        return {};
    }
    if (auto* smp = std::get_if<Sample>(&message)) {
        if (m_model.hasBase()) m_model.applySample(*smp);
        m_timeline.addSample(*smp);
        m_timeline.fill(m_index);
        ++m_index.samples;
        m_index.endNs = std::max(m_index.endNs, smp->timeNs);
        return writeFrame(message);
    }
    if (std::holds_alternative<ResyncNotice>(message)) {
        m_model.apply(message);
        return writeFrame(message);
    }
    return {};
}

Status SessionWriter::close() {
    if (!m_file) return {};
    Status result;
    const std::uint64_t indexOffset = m_offset;
    m_timeline.fill(m_index);
    Status s = writeFrame(WireMessage(m_index));
    if (s) {
        std::uint8_t trailer[session_file::kTrailerSize];
        for (int i = 0; i < 8; ++i) trailer[i] = static_cast<std::uint8_t>(indexOffset >> (56 - 8 * i));
        std::memcpy(trailer + 8, session_file::kTrailerMagic, 8);
        if (std::fwrite(trailer, 1, sizeof trailer, m_file) != sizeof trailer)
            result = Status::failure("cannot write " + m_path + ": " + std::strerror(errno));
        else
            m_offset += sizeof trailer;
    } else {
        result = s;
    }
    if (std::fclose(m_file) != 0 && result.ok())
        result = Status::failure("cannot close " + m_path + ": " + std::strerror(errno));
    m_file = nullptr;
    return result;
}

} // namespace canopy::introspection
