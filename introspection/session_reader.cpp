#include "introspection/session_reader.h"
#include "introspection/saturating.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/protocol.h"
#include "introspection/exit_reasons.h"
#include "introspection/session_file_format.h"
#include "introspection/timeline_builder.h"
#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/mman.h>
#include <atomic>
#include <thread>
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

namespace {
const char* fileKind(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}
} // namespace

Status SessionReader::open(const std::string& path) {
    if (Status s = mapFile(path); !s) return s;
    return init(path);
}

Status SessionReader::mapFile(const std::string& path) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return Status::failure("cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return Status::failure("cannot read " + path + ": " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return Status::failure(path + " is not a regular file (" + fileKind(st.st_mode) + "); a session file is needed");
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
    m_timelineInIndex = m_timelineReady = false;
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
        // A writer's index carries the timeline of what it wrote (SessionWriter keeps it current).
        m_timelineInIndex = m_timelineReady =
            !m_index.timeline.empty() || (m_index.entries.empty() && m_index.deltas == 0 && m_index.samples == 0);
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
    // Writers since session 3 always store a timeline (empty only when nothing was recorded).
    m_timelineInIndex = m_timelineReady =
        !m_index.timeline.empty() || (m_index.entries.empty() && m_index.deltas == 0 && m_index.samples == 0);
    return true;
}

void SessionReader::rebuildIndex() {
    m_indexRebuilt = true;
    m_index = SessionIndex{};
    m_index.endNs = m_header.startNs;
    std::uint64_t off = m_dataBegin;
    WireMessage m;
    std::int64_t lastKeyTime = INT64_MIN;
    TimelineBuilder timeline;
    while (true) {
        std::uint64_t at = off;
        if (!readNext(off, m, at)) {
            m_dataEnd = off; // the readable part ends at the first frame that cannot be located
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
        timeline.add(m);
        std::int64_t t = messageTime(m);
        if (t != INT64_MIN) m_index.endNs = std::max(m_index.endNs, t);
    }
    timeline.fill(m_index);
    m_timelineReady = true;
    warn("warning: " + m_name + ": no index (file was not closed cleanly); rebuilt it by scanning " +
             std::to_string(m_index.frames) + " frames");
}

SessionReader::FrameStatus SessionReader::readFrame(std::uint64_t offset, WireMessage& out, std::size_t& frameSize,
                                                   std::string& why, KeyframeSink* sink) {
    if (offset >= m_dataEnd) return FrameStatus::End;
    std::span<const std::uint8_t> rest(m_data + offset, m_dataEnd - offset);
    std::span<const std::uint8_t> payload;
    std::uint8_t flags = 0;
    frameSize = 0;
    why.clear();
    switch (FrameReader::viewAt(rest, protocol::kDefaultMaxFrameSize, payload, flags, frameSize, why, true)) {
    case FrameReader::Status::NeedMore:
        if (rest.size() < protocol::kFrameHeaderSize) {
            why = "only " + std::to_string(rest.size()) + " of its 5 header bytes are there";
        } else {
            const std::uint64_t length = (std::uint64_t(rest[0]) << 24) | (std::uint64_t(rest[1]) << 16) |
                                         (std::uint64_t(rest[2]) << 8) | std::uint64_t(rest[3]);
            why = "it announces " + std::to_string(length) + " payload bytes, " +
                  std::to_string(rest.size() - protocol::kFrameHeaderSize) + " are there";
        }
        return FrameStatus::Truncated;
    case FrameReader::Status::Error:
        return FrameStatus::Broken;
    case FrameReader::Status::Frame:
        break;
    }
    // Decoded in place from the mapped file.
    auto msg = sink ? Codec::decodeKeyframeFrame(payload, flags, *sink) : Codec::decodeFrame(payload, flags);
    if (!msg.ok()) {
        why = msg.error();
        return FrameStatus::Corrupt;
    }
    out = std::move(*msg);
    return FrameStatus::Ok;
}

void SessionReader::warnFrame(FrameStatus status, std::uint64_t offset, const std::string& why,
                              const std::string& consequence) {
    const char* what = status == FrameStatus::Truncated ? "truncated frame" : "corrupt frame";
    warn("warning: " + m_name + ": " + what + " at byte offset " + std::to_string(offset) + " (" + why + "); " +
         consequence);
}

bool SessionReader::readAt(std::uint64_t& offset, WireMessage& out) {
    std::size_t size = 0;
    std::string why;
    const FrameStatus st = readFrame(offset, out, size, why);
    if (st == FrameStatus::Ok) {
        offset += size;
        return true;
    }
    if (st != FrameStatus::End) warnFrame(st, offset, why, "read up to the last good frame");
    return false;
}

bool SessionReader::readNext(std::uint64_t& offset, WireMessage& out, std::uint64_t& at) {
    while (true) {
        std::size_t size = 0;
        std::string why;
        at = offset;
        const FrameStatus st = readFrame(offset, out, size, why);
        if (st == FrameStatus::Ok) {
            offset += size;
            return true;
        }
        if (st == FrameStatus::Corrupt) {
            warnFrame(st, offset, why, "skipped it");
            offset += size;
            continue;
        }
        if (st != FrameStatus::End) warnFrame(st, offset, why, "read up to the last good frame");
        return false;
    }
}

void SessionReader::forEach(std::uint64_t offset, const std::function<bool(const WireMessage&, std::uint64_t)>& visit) {
    WireMessage m;
    std::uint64_t at = offset;
    while (readNext(offset, m, at))
        if (!visit(m, at)) return;
}

namespace {
std::string seconds(std::int64_t ns) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f s", double(ns) / 1e9);
    return buf;
}
} // namespace

Result<std::uint64_t> SessionReader::seek(std::int64_t sessionTimeNs, SessionModel& model) {
    using R = Result<std::uint64_t>;
    const std::int64_t at = std::max<std::int64_t>(0, sessionTimeNs);
    const std::int64_t target = saturating::add(m_header.startNs, at);
    model = SessionModel{};
    model.setStartNs(m_header.startNs);
    const auto& entries = m_index.entries;
    const bool startsWithKeyframe = !entries.empty() && entries.front().offset == m_dataBegin;
    auto it = std::upper_bound(entries.begin(), entries.end(), target,
                               [](std::int64_t t, const IndexEntry& e) { return t < e.timeNs; });
    std::ptrdiff_t k = (it - entries.begin()) - 1;
    // Before the recording's first keyframe: the earliest known tree is that keyframe.
    bool clampToKeyframe = k < 0 && startsWithKeyframe;
    if (clampToKeyframe) k = 0;

    // The base: the last readable keyframe at or before the moment (a corrupt one is replaced by
    // the one before it; the deltas in between are replayed through it).
    // The frames after the keyframe are decoded on a second thread while this one loads the
    // keyframe (the longest part): the replay below takes them in order, by offset, and reads any
    // frame the prefetch did not reach (or a different base: the keyframe was corrupt) itself.
    struct Prefetched {
        std::uint64_t offset = 0;
        FrameStatus status = FrameStatus::End;
        std::size_t size = 0;
        std::string why;
        WireMessage message;
    };
    std::vector<Prefetched> prefetched;
    std::thread prefetcher;
    // Once the keyframe is in, the replay does not wait for the prefetch to reach the moment: it
    // stops it after the frame in hand and reads the rest itself (on a loaded machine the prefetch
    // thread can sit runnable for 100+ ms; waiting for it stalled seeks with both threads idle).
    std::atomic<bool> stopPrefetch{false};
    // The same thread decodes the second half of a big keyframe's records while this one decodes
    // the first half (it takes that job first: the keyframe is the longest part of a seek).
    KeyframeSplit split;
    if (k >= 0) {
        const std::uint64_t keyframeAt = entries[std::size_t(k)].offset;
        const std::size_t keyframeSize = frameSizeAt(keyframeAt);
        if (keyframeSize != 0)
            prefetcher = std::thread([this, &prefetched, &stopPrefetch, &split, target, from = keyframeAt + keyframeSize] {
                constexpr std::size_t kMaxFrames = 1 << 16;
                std::uint64_t at = from;
                try {
                    while (prefetched.size() < kMaxFrames && !stopPrefetch.load(std::memory_order_relaxed)) {
                        if (split.posted()) split.runPosted();
                        Prefetched p;
                        p.offset = at;
                        p.status = readFrame(at, p.message, p.size, p.why);
                        prefetched.push_back(std::move(p));
                        if (prefetched.back().status != FrameStatus::Ok) break;
                        at += prefetched.back().size;
                        const std::int64_t t = messageTime(prefetched.back().message);
                        if (t != INT64_MIN && t > target) break;
                    }
                } catch (...) {
                    // Out of memory: the replay reads the frames it did not get itself.
                }
                split.serveUntilClosed();
            });
    }
    struct Joiner {
        std::thread& t;
        std::atomic<bool>& stop;
        KeyframeSplit& split;
        ~Joiner() {
            stop.store(true, std::memory_order_relaxed);
            split.close();
            if (t.joinable()) t.join();
        }
    } joiner{prefetcher, stopPrefetch, split};
    std::size_t nextPrefetched = 0;

    WireMessage m;
    std::uint64_t off = m_dataBegin;
    std::string firstBad;
    bool based = false;
    for (; k >= 0; --k) {
        std::size_t size = 0;
        std::string why;
        // The keyframe's records are decoded straight into the model's tree.
        std::optional<SessionModel::KeyframeLoader> loader(std::in_place, model);
        if (prefetcher.joinable()) loader->setSplit(&split);
        const FrameStatus st = readFrame(entries[std::size_t(k)].offset, m, size, why, &*loader);
        if (st == FrameStatus::Ok && std::holds_alternative<Keyframe>(m)) {
            if (!firstBad.empty())
                warn("warning: " + m_name + ": " + firstBad + "; replayed from the keyframe at byte offset " +
                     std::to_string(entries[std::size_t(k)].offset));
            loader->finish(std::move(std::get<Keyframe>(m)));
            off = entries[std::size_t(k)].offset + size;
            based = true;
            break;
        }
        loader.reset();
        model = SessionModel{}; // whatever a corrupt keyframe left in it
        model.setStartNs(m_header.startNs);
        if (st == FrameStatus::Ok) why = "the index points at a " + std::string(messageTypeName(m)) + " frame";
        if (firstBad.empty())
            firstBad = "corrupt keyframe at byte offset " + std::to_string(entries[std::size_t(k)].offset) + " (" + why + ")";
    }
    if (!based && startsWithKeyframe)
        return R::failure(m_name + ": nothing readable at or before " + seconds(at) + ": the " + firstBad +
                          (clampToKeyframe ? " and the recording starts with it" : " and no earlier keyframe is readable"));
    if (!based && !firstBad.empty())
        warn("warning: " + m_name + ": " + firstBad + "; replayed the events from the start of the recording");

    // Replay up to the moment.
    stopPrefetch.store(true, std::memory_order_relaxed);
    split.close();
    if (prefetcher.joinable()) prefetcher.join();
    bool sawDelta = false;
    while (true) {
        std::size_t size = 0;
        std::string why;
        FrameStatus st;
        if (nextPrefetched < prefetched.size() && prefetched[nextPrefetched].offset == off) {
            Prefetched& p = prefetched[nextPrefetched++];
            st = p.status;
            size = p.size;
            why = std::move(p.why);
            m = std::move(p.message);
        } else {
            st = readFrame(off, m, size, why);
        }
        if (st == FrameStatus::Corrupt) {
            warnFrame(st, off, why, "skipped it (an event lost there leaves the tree as it was until the next keyframe)");
            off += size;
            continue;
        }
        if (st == FrameStatus::Truncated || st == FrameStatus::Broken) {
            // Nothing after it can be located by scanning; a later keyframe at or before the
            // moment is still reachable through the index.
            auto next = std::upper_bound(entries.begin(), entries.end(), off,
                                         [](std::uint64_t o, const IndexEntry& e) { return o < e.offset; });
            if (next != entries.end() && next->timeNs <= target) {
                warnFrame(st, off, why, "went on from the keyframe at byte offset " + std::to_string(next->offset));
                off = next->offset;
                continue;
            }
            warnFrame(st, off, why, "read up to the last good frame");
            break;
        }
        if (st == FrameStatus::End) break;
        const std::int64_t t = messageTime(m);
        const bool keep = clampToKeyframe && std::holds_alternative<Keyframe>(m);
        clampToKeyframe = false;
        if (t != INT64_MIN && t > target && !keep) {
            // A recording that starts with events (no keyframe): before its first event the tree is
            // empty by the writer's convention.
            if (!model.hasBase() && std::holds_alternative<Delta>(m) && !sawDelta) model.assumeEmpty();
            break;
        }
        if (!model.hasBase() && std::holds_alternative<Delta>(m)) model.assumeEmpty();
        if (std::holds_alternative<Delta>(m)) sawDelta = true;
        model.apply(std::move(m));
        off += size;
    }
    if (!model.hasBase())
        return R::failure(m_name + ": nothing to show at " + seconds(at) +
                          ": the recording holds no keyframe and no event before that moment");
    return off;
}

std::size_t SessionReader::frameSizeAt(std::uint64_t offset) const {
    if (offset >= m_dataEnd || m_dataEnd - offset < protocol::kFrameHeaderSize) return 0;
    const std::uint8_t* h = m_data + offset;
    const std::size_t size = protocol::kFrameHeaderSize +
                             ((std::size_t(h[0]) << 24) | (std::size_t(h[1]) << 16) | (std::size_t(h[2]) << 8) | h[3]);
    return size <= m_dataEnd - offset ? size : 0;
}

const std::vector<TimelineSummary>& SessionReader::timeline() {
    if (!m_timelineReady) {
        // A file from before the timeline: one scan (the index entries and totals stay as they are).
        TimelineBuilder builder;
        forEach(m_dataBegin, [&](const WireMessage& m, std::uint64_t) {
            if (std::holds_alternative<SessionIndex>(m)) return false;
            builder.add(m);
            return true;
        });
        m_index.timeline.clear();
        m_index.giveUps.clear();
        builder.fill(m_index);
        m_timelineReady = true;
    }
    return m_index.timeline;
}

const std::vector<GiveUpEvent>& SessionReader::giveUps() {
    timeline();
    return m_index.giveUps;
}

void SessionReader::forEachInRange(std::int64_t t0, std::int64_t t1,
                                   const std::function<bool(const WireMessage&, std::uint64_t)>& visit, bool keyframes) {
    const std::int64_t from = saturating::add(m_header.startNs, std::max<std::int64_t>(0, t0));
    const std::int64_t to = saturating::add(m_header.startNs, t1);
    if (to < from) return;
    const auto& entries = m_index.entries;
    auto it = std::upper_bound(entries.begin(), entries.end(), from,
                               [](std::int64_t t, const IndexEntry& e) { return t < e.timeNs; });
    std::uint64_t off = it == entries.begin() ? m_dataBegin : std::prev(it)->offset;
    // Keyframe offsets, to step over keyframes without decoding them.
    std::vector<std::uint64_t> keyOffsets;
    if (!keyframes) {
        keyOffsets.reserve(entries.size());
        for (const auto& e : entries) keyOffsets.push_back(e.offset);
        std::sort(keyOffsets.begin(), keyOffsets.end());
    }
    bool inRange = false;
    WireMessage m;
    while (off < m_dataEnd) {
        if (!keyframes && std::binary_search(keyOffsets.begin(), keyOffsets.end(), off)) {
            // A keyframe at or before `to` only bounds the range; one after it ends it.
            auto e = std::find_if(entries.begin(), entries.end(), [&](const IndexEntry& x) { return x.offset == off; });
            if (e != entries.end() && e->timeNs > to) return;
            const std::size_t size = frameSizeAt(off);
            if (size == 0) return;
            off += size;
            continue;
        }
        std::uint64_t at = off;
        if (!readNext(off, m, at)) return;
        const std::int64_t t = messageTime(m);
        if (t != INT64_MIN) {
            if (t > to) return;
            if (t < from) continue;
            inRange = true;
        } else if (!inRange || std::holds_alternative<SessionIndex>(m)) {
            continue;
        }
        if (!visit(m, at)) return;
    }
}

std::optional<std::int64_t> SessionReader::nextAbnormalExitAfter(std::int64_t sessionTimeNs) {
    const std::int64_t after = saturating::add(m_header.startNs, sessionTimeNs);
    for (const auto& s : timeline()) {
        if (s.abnormalExits == 0 || s.lastAbnormalNs <= after) continue;
        if (s.firstAbnormalNs > after) return s.firstAbnormalNs - m_header.startNs;
        std::optional<std::int64_t> found;
        forEachInRange(sessionTimeNs, s.endNs - m_header.startNs, [&](const WireMessage& m, std::uint64_t) {
            auto* d = std::get_if<Delta>(&m);
            if (d && d->type == DeltaType::Exit && d->timeNs > after && isAbnormalExit(d->reason)) {
                found = d->timeNs - m_header.startNs;
                return false;
            }
            return true;
        });
        if (found) return found;
    }
    return std::nullopt;
}

std::optional<std::int64_t> SessionReader::previousAbnormalExitBefore(std::int64_t sessionTimeNs) {
    const std::int64_t before = saturating::add(m_header.startNs, sessionTimeNs);
    const auto& all = timeline();
    for (auto s = all.rbegin(); s != all.rend(); ++s) {
        if (s->abnormalExits == 0 || s->firstAbnormalNs >= before) continue;
        if (s->lastAbnormalNs < before) return s->lastAbnormalNs - m_header.startNs;
        std::optional<std::int64_t> found;
        forEachInRange(s->startNs - m_header.startNs, sessionTimeNs, [&](const WireMessage& m, std::uint64_t) {
            auto* d = std::get_if<Delta>(&m);
            if (d && d->type == DeltaType::Exit && d->timeNs < before && isAbnormalExit(d->reason))
                found = d->timeNs - m_header.startNs;
            return true;
        });
        if (found) return found;
    }
    return std::nullopt;
}

Result<TreeSnapshot> SessionReader::snapshotAt(std::int64_t sessionTimeNs) {
    SessionModel model;
    auto r = seek(sessionTimeNs, model);
    if (!r.ok()) return Result<TreeSnapshot>::failure(r.error());
    return model.snapshotAt(std::max<std::int64_t>(0, std::min(sessionTimeNs, durationNs())));
}

} // namespace canopy::introspection
