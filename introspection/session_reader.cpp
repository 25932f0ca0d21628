#include "introspection/session_reader.h"
#include "introspection/saturating.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/session_file_format.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace canopy::introspection {

SessionReader::SessionReader() = default;

SessionReader::~SessionReader() {
    if (m_map) ::munmap(m_map, m_size);
}

std::int64_t SessionReader::durationNs() const { return std::max<std::int64_t>(0, saturating::sub(m_index.endNs, m_header.startNs)); }

void SessionReader::warn(std::string line) {
    if (std::find(m_warnings.begin(), m_warnings.end(), line) == m_warnings.end()) m_warnings.push_back(std::move(line));
}

std::int64_t SessionReader::messageTime(const WireMessage& m) {
    if (auto* k = std::get_if<Keyframe>(&m)) return k->timeNs;
    if (auto* d = std::get_if<Delta>(&m)) return d->timeNs;
    if (auto* s = std::get_if<Sample>(&m)) return s->timeNs;
    return INT64_MIN;
}

Status SessionReader::open(const std::string& path) {
    if (Status s = mapFile(path); !s) return s;
    return init(path);
}

Status SessionReader::mapFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::failure("cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Status::failure(path + " is not a regular file");
    }
    m_size = static_cast<std::size_t>(st.st_size);
    if (m_size > 0) {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            return Status::failure("cannot map " + path + ": " + std::strerror(errno));
        }
        m_map = p;
        m_data = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);
    return {};
}

Status SessionReader::openGrowing(const std::string& path, const SessionIndex& index, std::uint64_t dataEnd) {
    // Mapped like open(); the part past dataEnd (if the writer went on) is simply not read.
    if (Status s = mapFile(path); !s) return s;
    return init(path, &index, dataEnd);
}

Status SessionReader::openBytes(std::vector<std::uint8_t> bytes, const std::string& name) {
    m_bytes = std::move(bytes);
    m_data = m_bytes.data();
    m_size = m_bytes.size();
    return init(name);
}

Status SessionReader::init(const std::string& name, const SessionIndex* given, std::uint64_t givenEnd) {
    m_name = name;
    m_warnings.clear();
    m_indexRebuilt = false;
    if (m_size < session_file::kMagicSize || std::memcmp(m_data, session_file::kFileMagic, session_file::kMagicSize) != 0)
        return Status::failure(name + " is not a Canopy session file (bad magic)");
    m_dataEnd = m_size;
    std::uint64_t off = session_file::kMagicSize;
    WireMessage first;
    if (!readAt(off, first)) return Status::failure(name + ": unreadable session header at byte offset 8");
    auto* h = std::get_if<SessionHeader>(&first);
    if (!h) return Status::failure(name + ": first frame is '" + std::string(messageTypeName(first)) + "', not a session header");
    if (h->formatVersion < 1 || h->formatVersion > 2)
        return Status::failure(name + ": session format version " + std::to_string(h->formatVersion) +
                               " is not supported (this reader knows 1 and 2)");
    m_header = *h;
    m_dataBegin = off;
    if (given) {
        m_index = *given;
        m_dataEnd = std::clamp<std::uint64_t>(givenEnd, m_dataBegin, m_size);
        return {};
    }
    if (!loadIndexFromTrailer()) rebuildIndex();
    return {};
}

bool SessionReader::loadIndexFromTrailer() {
    if (m_size < m_dataBegin + session_file::kTrailerSize) return false;
    const std::uint8_t* t = m_data + m_size - session_file::kTrailerSize;
    if (std::memcmp(t + 8, session_file::kTrailerMagic, 8) != 0) return false;
    std::uint64_t indexOffset = 0;
    for (int i = 0; i < 8; ++i) indexOffset = (indexOffset << 8) | t[i];
    if (indexOffset < m_dataBegin || indexOffset >= m_size - session_file::kTrailerSize) return false;
    Frame frame;
    std::size_t frameSize = 0;
    std::string err;
    std::span<const std::uint8_t> rest(m_data + indexOffset, m_size - session_file::kTrailerSize - indexOffset);
    if (FrameReader::readAt(rest, rest.size(), frame, frameSize, err, true) != FrameReader::Status::Frame) return false;
    auto msg = Codec::decodeFrame(frame);
    if (!msg.ok()) return false;
    auto* idx = std::get_if<SessionIndex>(&*msg);
    if (!idx) return false;
    for (const auto& e : idx->entries)
        if (e.offset < m_dataBegin || e.offset >= indexOffset) return false;
    if (!std::is_sorted(idx->entries.begin(), idx->entries.end(),
                        [](const IndexEntry& a, const IndexEntry& b) { return a.timeNs < b.timeNs; }))
        return false;
    m_index = std::move(*idx);
    m_dataEnd = indexOffset;
    return true;
}

void SessionReader::rebuildIndex() {
    m_indexRebuilt = true;
    m_index = SessionIndex{};
    m_index.endNs = m_header.startNs;
    std::uint64_t off = m_dataBegin;
    WireMessage m;
    std::int64_t lastKeyTime = INT64_MIN;
    while (true) {
        std::uint64_t at = off;
        if (!readAt(off, m)) {
            m_dataEnd = at; // the readable part ends at the first bad frame
            break;
        }
        ++m_index.frames;
        if (auto* k = std::get_if<Keyframe>(&m)) {
            if (k->timeNs >= lastKeyTime) {
                m_index.entries.push_back({k->timeNs, at, k->seq});
                lastKeyTime = k->timeNs;
            }
        } else if (std::holds_alternative<Delta>(m)) {
            ++m_index.deltas;
        } else if (std::holds_alternative<Sample>(m)) {
            ++m_index.samples;
        } else if (std::holds_alternative<SessionIndex>(m)) {
            // A stale index frame (trailer lost): data ends here.
            m_dataEnd = at;
            break;
        }
        std::int64_t t = messageTime(m);
        if (t != INT64_MIN) m_index.endNs = std::max(m_index.endNs, t);
    }
    warn("warning: " + m_name + ": no index (file was not closed cleanly); rebuilt it by scanning " +
             std::to_string(m_index.frames) + " frames");
}

bool SessionReader::readAt(std::uint64_t& offset, WireMessage& out) {
    if (offset >= m_dataEnd) return false;
    std::span<const std::uint8_t> rest(m_data + offset, m_dataEnd - offset);
    Frame frame;
    std::size_t frameSize = 0;
    std::string err;
    switch (FrameReader::readAt(rest, rest.size(), frame, frameSize, err, true)) {
    case FrameReader::Status::NeedMore:
        warn("warning: " + m_name + ": truncated frame at byte offset " + std::to_string(offset) +
             "; read up to the last good frame");
        return false;
    case FrameReader::Status::Error:
        warn("warning: " + m_name + ": corrupt frame at byte offset " + std::to_string(offset) + " (" + err +
             "); read up to the last good frame");
        return false;
    case FrameReader::Status::Frame:
        break;
    }
    auto msg = Codec::decodeFrame(frame);
    if (!msg.ok()) {
        warn("warning: " + m_name + ": corrupt frame at byte offset " + std::to_string(offset) + " (" + msg.error() +
             "); read up to the last good frame");
        return false;
    }
    out = std::move(*msg);
    offset += frameSize;
    return true;
}

void SessionReader::forEach(std::uint64_t offset, const std::function<bool(const WireMessage&, std::uint64_t)>& visit) {
    WireMessage m;
    while (true) {
        std::uint64_t at = offset;
        if (!readAt(offset, m)) return;
        if (!visit(m, at)) return;
    }
}

Result<std::uint64_t> SessionReader::seek(std::int64_t sessionTimeNs, SessionModel& model) {
    const std::int64_t target = saturating::add(m_header.startNs, std::max<std::int64_t>(0, sessionTimeNs));
    model = SessionModel{};
    model.setStartNs(m_header.startNs);
    const auto& entries = m_index.entries;
    auto it = std::upper_bound(entries.begin(), entries.end(), target,
                               [](std::int64_t t, const IndexEntry& e) { return t < e.timeNs; });
    std::uint64_t off = m_dataBegin;
    bool clampToFirstKeyframe = false;
    if (it != entries.begin()) {
        off = std::prev(it)->offset;
    } else if (!entries.empty() && entries.front().offset == m_dataBegin) {
        // Before the recording's first keyframe: the earliest known tree is that keyframe.
        clampToFirstKeyframe = true;
    } else {
        model.assumeEmpty(); // deltas from the runtime's start precede any keyframe
    }
    WireMessage m;
    while (true) {
        std::uint64_t at = off;
        if (!readAt(off, m)) return at;
        std::int64_t t = messageTime(m);
        const bool keep = clampToFirstKeyframe && std::holds_alternative<Keyframe>(m);
        clampToFirstKeyframe = false;
        if (t != INT64_MIN && t > target && !keep) return at;
        model.apply(m);
    }
}

Result<TreeSnapshot> SessionReader::snapshotAt(std::int64_t sessionTimeNs) {
    SessionModel model;
    auto r = seek(sessionTimeNs, model);
    if (!r.ok()) return Result<TreeSnapshot>::failure(r.error());
    return model.snapshotAt(std::max<std::int64_t>(0, std::min(sessionTimeNs, durationNs())));
}

} // namespace canopy::introspection
