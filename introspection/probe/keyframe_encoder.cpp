#include "introspection/probe/keyframe_encoder.h"
#include "introspection/probe/slot_tracker.h"
#include "introspection/wire_encode.h"
#include "introspection/cbor_writer.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/json_writer.h"
#include "introspection/protocol.h"
#include "introspection/utf8.h"
#include "introspection/wire_table.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <string_view>

namespace canopy::introspection {

namespace {

using wire::keyOf;
using R = ProcessRecord;

/// Returns `in`, or a sanitised copy in `tmp` when it holds non-ASCII bytes (names come from user code).
std::string_view clean(std::string_view in, std::string& tmp) {
    for (unsigned char c : in)
        if (c >= 0x80) {
            tmp.assign(in);
            utf8::sanitize(tmp);
            return tmp;
        }
    return in;
}

/// One record of a live process, as KeyframeBuilder::toRecord maps it, with the wire table's keys
/// and default omissions (Codec decodes it to the same ProcessRecord).
template <class W>
void writeViewRecord(W& w, const ProcessView& v, std::string (&tmp)[3], const SlotTracker* slots) {
    const std::size_t mark = w.beginMap();
    std::size_t n = 0;
    auto u = [&](std::string_view key, std::uint64_t x) {
        w.key(key);
        w.u64(x);
        ++n;
    };
    auto i = [&](std::string_view key, std::int64_t x) {
        w.key(key);
        w.i64(x);
        ++n;
    };
    auto s = [&](std::string_view key, std::string_view x) {
        w.key(key);
        w.text(x);
        ++n;
    };
    auto list = [&](std::string_view key, std::span<const std::uint64_t> a) {
        w.key(key);
        w.beginArray(a.size());
        for (auto x : a) w.u64(x);
        w.endArray();
        ++n;
    };
    u(keyOf<&R::pid>(), v.pid);
    if (v.parent) u(keyOf<&R::parent>(), v.parent);
    if (!v.registeredName.empty()) s(keyOf<&R::name>(), clean(v.registeredName, tmp[0]));
    const ChildMeta* m = v.meta;
    if (m) {
        if (!m->childId.empty()) s(keyOf<&R::childId>(), clean(m->childId, tmp[1]));
        if (m->kind != ProcessKind::Worker)
            s(keyOf<&R::kind>(), m->kind == ProcessKind::Supervisor ? "supervisor" : "dynamic_supervisor");
        if (!m->strategy.empty()) s(keyOf<&R::strategy>(), m->strategy);
        if (!m->restart.empty()) s(keyOf<&R::restart>(), m->restart);
        if (!m->shutdown.empty()) s(keyOf<&R::shutdown>(), m->shutdown);
        if (m->significant) {
            w.key(keyOf<&R::significant>());
            w.boolean(true);
            ++n;
        }
    }
    if (v.status != ProcessStatus::Waiting) {
        static constexpr std::string_view names[] = {"waiting", "runnable", "running", "exiting", "dead"};
        s(keyOf<&R::status>(), names[std::min<int>(int(v.status), 4)]);
    }
    if (!v.initialCall.empty()) s(keyOf<&R::initialCall>(), clean(v.initialCall, tmp[2]));
    if (v.mailboxLength) i(keyOf<&R::mailboxLength>(), v.mailboxLength);
    if (v.messagesHandled) u(keyOf<&R::messagesHandled>(), v.messagesHandled);
    if (v.memoryBytes) u(keyOf<&R::memoryBytes>(), v.memoryBytes);
    if (m) {
        if (v.restartsInWindow) i(keyOf<&R::restartsInWindow>(), v.restartsInWindow);
        if (m->maxRestarts) i(keyOf<&R::maxRestarts>(), m->maxRestarts);
        if (m->maxSeconds) i(keyOf<&R::maxSeconds>(), m->maxSeconds);
        if (m->kind != ProcessKind::Worker && v.restartsInWindow) {
            const std::vector<std::int64_t> stamps = m->restartTimes();
            if (!stamps.empty()) {
                w.key(keyOf<&R::restartStamps>());
                wire::writeValue(w, stamps);
                ++n;
            }
        }
    }
    if (!v.links.empty()) list(keyOf<&R::links>(), v.links);
    if (!v.monitors.empty()) list(keyOf<&R::monitors>(), v.monitors);
    u(keyOf<&R::startOrder>(), slots && m ? slots->orderOf(v.pid, v.parent, m->childId) : v.pid);
    w.endMap(mark, n);
}

template <class W>
std::size_t writeLiveKeyframe(W& w, const Runtime& rt, std::uint64_t seq, std::int64_t timeNs, const SlotTracker* slots) {
    const std::size_t mark = w.beginMap();
    w.key(wire::kTypeKey);
    w.text(wire::Spec<Keyframe>::kType);
    w.key(keyOf<&Keyframe::seq>());
    w.u64(seq);
    w.key(keyOf<&Keyframe::timeNs>());
    w.i64(timeNs);
    w.key(keyOf<&Keyframe::processes>());
    // The count is known only after the walk: it is patched in, so readers can still reserve.
    const std::size_t list = w.beginOpenArray();
    std::size_t n = 0;
    std::string tmp[3];
    rt.forEachProcessView([&](const ProcessView& view) {
        ++n;
        writeViewRecord(w, view, tmp, slots);
    });
    w.endOpenArray(list, static_cast<std::uint32_t>(n));
    std::size_t fields = 4;
    if (slots && slots->ghostCount() > 0) {
        const std::vector<ProcessRecord> ghosts = slots->ghosts();
        w.key(keyOf<&Keyframe::ghosts>());
        wire::writeValue(w, ghosts);
        ++fields;
    }
    w.endMap(mark, fields);
    return n;
}

} // namespace

std::size_t KeyframeEncoder::appendLiveFrame(std::vector<std::uint8_t>& out, const Runtime& rt, std::uint64_t seq,
                                             Encoding encoding, const SlotTracker* slots) {
    const std::size_t start = out.size();
    out.resize(start + protocol::kFrameHeaderSize);
    out.reserve(start + protocol::kFrameHeaderSize + rt.processCount() * 150 + 64);
    const std::int64_t timeNs = rt.clock().nowNs();
    std::size_t n = 0;
    if (encoding == Encoding::Cbor) {
        CborWriter w(out);
        n = writeLiveKeyframe(w, rt, seq, timeNs, slots);
    } else {
        JsonWriter w(out);
        n = writeLiveKeyframe(w, rt, seq, timeNs, slots);
    }
    const std::size_t payload = out.size() - start - protocol::kFrameHeaderSize;
    FrameReader::writeHeader(out.data() + start, static_cast<std::uint32_t>(payload), static_cast<std::uint8_t>(encoding));
    return n;
}

void KeyframeEncoder::sanitizeUtf8(std::string& s) { utf8::sanitize(s); }

std::size_t KeyframeEncoder::appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding) {
    return Codec::appendFrame(out, keyframe, encoding);
}

} // namespace canopy::introspection
