#include "introspection/probe/keyframe_encoder.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/protocol.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <charconv>
#include <span>
#include <string_view>
#include <cstring>

namespace canopy::introspection {

namespace {

// ---------------------------------------------------------------- UTF-8
/// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
std::size_t utf8Len(const std::string& s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) {
        return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xE0 && c1 < 0xA0) return 0;
        if (c == 0xED && c1 > 0x9F) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xF0 && c1 < 0x90) return 0;
        if (c == 0xF4 && c1 > 0x8F) return 0;
        return 4;
    }
    return 0;
}

// ---------------------------------------------------------------- output
/// Appends to a byte vector through a write position: grows it in large steps and writes through a
/// pointer (no per-byte capacity check); trims the vector to what was written when destroyed.
struct ByteSink {
    std::vector<std::uint8_t>& b;
    std::size_t pos = b.size();
    ~ByteSink() { b.resize(pos); }
    std::uint8_t* room(std::size_t n) {
        if (b.size() < pos + n) b.resize(std::max(pos + n, b.size() + b.size() / 2 + 4096));
        std::uint8_t* p = b.data() + pos;
        pos += n;
        return p;
    }
    void put(std::uint8_t c) { *room(1) = c; }
    void put(const void* d, std::size_t n) {
        if (n) std::memcpy(room(n), d, n);
    }
};

// ---------------------------------------------------------------- JSON
struct JsonOut {
    ByteSink s;
    void raw(std::string_view t) { s.put(t.data(), t.size()); }
    void ch(char c) { s.put(static_cast<std::uint8_t>(c)); }
    template <class T> void num(T v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        s.put(buf, std::size_t(r.ptr - buf));
    }
    void str(std::string_view t) {
        ch('"');
        std::size_t clean = 0;
        while (clean < t.size()) {
            const auto c = static_cast<unsigned char>(t[clean]);
            if (c < 0x20 || c == '"' || c == '\\') break;
            ++clean;
        }
        s.put(t.data(), clean); // the common case: nothing to escape
        for (std::size_t i = clean; i < t.size(); ++i) {
            const auto c = static_cast<unsigned char>(t[i]);
            switch (c) {
            case '"': raw("\\\""); break;
            case '\\': raw("\\\\"); break;
            case '\n': raw("\\n"); break;
            case '\r': raw("\\r"); break;
            case '\t': raw("\\t"); break;
            case '\b': raw("\\b"); break;
            case '\f': raw("\\f"); break;
            default:
                if (c < 0x20) {
                    static const char* hex = "0123456789abcdef";
                    raw("\\u00");
                    ch(hex[c >> 4]);
                    ch(hex[c & 15]);
                } else {
                    s.put(c);
                }
            }
        }
        ch('"');
    }
};

// ---------------------------------------------------------------- CBOR
struct CborOut {
    ByteSink s;
    void head(std::uint8_t major, std::uint64_t v) {
        const std::uint8_t m = static_cast<std::uint8_t>(major << 5);
        if (v < 24) {
            s.put(static_cast<std::uint8_t>(m | v));
            return;
        }
        const int bytes = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
        std::uint8_t* p = s.room(std::size_t(bytes) + 1);
        *p++ = static_cast<std::uint8_t>(m | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
        for (int k = bytes - 1; k >= 0; --k) *p++ = static_cast<std::uint8_t>(v >> (8 * k));
    }
    void u(std::uint64_t v) { head(0, v); }
    void i(std::int64_t v) {
        if (v >= 0) head(0, static_cast<std::uint64_t>(v));
        else head(1, static_cast<std::uint64_t>(-1 - v));
    }
    void str(std::string_view t) {
        head(3, t.size());
        s.put(t.data(), t.size());
    }
    void key(std::string_view k) { str(k); }
    void boolean(bool v) { s.put(v ? 0xf5 : 0xf4); }
};

/// Visits the record's non-default fields in Codec's order: f(key, kind, value pointer).
/// Kinds: 'u' uint64, 'i' int64, 'n' int, 's' string, 'v' string_view, 'b' bool, 'a' vector<uint64>,
/// 'A' span<const uint64>.
template <class F> void forFields(const ProcessRecord& r, F&& f) {
    f("pid", 'u', &r.pid);
    if (!r.pidText.empty() && r.pidText != "<0." + std::to_string(r.pid) + ".0>") f("pid_text", 's', &r.pidText);
    if (r.parent) f("parent", 'u', &r.parent);
    if (!r.name.empty()) f("name", 's', &r.name);
    if (!r.childId.empty()) f("child_id", 's', &r.childId);
    if (r.kind != "worker") f("kind", 's', &r.kind);
    if (!r.strategy.empty()) f("strategy", 's', &r.strategy);
    if (!r.restart.empty()) f("restart", 's', &r.restart);
    if (!r.shutdown.empty()) f("shutdown", 's', &r.shutdown);
    if (r.significant) f("significant", 'b', &r.significant);
    if (r.status != "waiting") f("status", 's', &r.status);
    if (!r.initialCall.empty()) f("initial_call", 's', &r.initialCall);
    if (r.mailboxLength) f("mailbox", 'i', &r.mailboxLength);
    if (r.messagesHandled) f("handled", 'u', &r.messagesHandled);
    if (r.memoryBytes) f("memory", 'u', &r.memoryBytes);
    if (r.restartsInWindow) f("restarts_in_window", 'n', &r.restartsInWindow);
    if (r.maxRestarts) f("max_restarts", 'n', &r.maxRestarts);
    if (r.maxSeconds) f("max_seconds", 'n', &r.maxSeconds);
    if (r.restartCount) f("restart_count", 'n', &r.restartCount);
    if (!r.lastExitReason.empty()) f("last_exit", 's', &r.lastExitReason);
    if (!r.links.empty()) f("links", 'a', &r.links);
    if (!r.monitors.empty()) f("monitors", 'a', &r.monitors);
    if (r.startOrder) f("start_order", 'u', &r.startOrder);
}

template <class Visit> void jsonRecord(JsonOut& o, Visit&& visit);
template <class Visit> void cborRecord(CborOut& o, Visit&& visit);

void jsonKeyframe(std::vector<std::uint8_t>& b, const Keyframe& k) {
    JsonOut o{b};
    o.raw("{\"type\":\"keyframe\",\"seq\":");
    o.num(k.seq);
    o.raw(",\"time_ns\":");
    o.num(k.timeNs);
    o.raw(",\"processes\":[");
    bool firstRec = true;
    for (const auto& r : k.processes) {
        if (!firstRec) o.ch(',');
        firstRec = false;
        jsonRecord(o, [&](auto&& f) { forFields(r, f); });
    }
    o.raw("]}");
}

void cborKeyframe(std::vector<std::uint8_t>& b, const Keyframe& k) {
    CborOut o{b};
    o.head(5, 4);
    o.key("type");
    o.str("keyframe");
    o.key("seq");
    o.u(k.seq);
    o.key("time_ns");
    o.i(k.timeNs);
    o.key("processes");
    o.head(4, k.processes.size());
    for (const auto& r : k.processes) cborRecord(o, [&](auto&& f) { forFields(r, f); });
}

/// The record fields of a live process (as KeyframeBuilder::toRecord maps them), in Codec's order.
/// Strings needing repair are sanitised into `tmp` slots.
template <class F> void forViewFields(const ProcessView& v, std::string (&tmp)[3], F&& f) {
    std::string_view sv[4];
    auto clean = [&](std::string_view in, int slot) -> const std::string_view* {
        sv[slot] = in;
        for (unsigned char c : in)
            if (c >= 0x80) {
                tmp[slot].assign(in);
                KeyframeEncoder::sanitizeUtf8(tmp[slot]);
                sv[slot] = tmp[slot];
                break;
            }
        return &sv[slot];
    };
    f("pid", 'u', &v.pid);
    if (v.parent) f("parent", 'u', &v.parent);
    if (!v.registeredName.empty()) f("name", 'v', clean(v.registeredName, 0));
    const ChildMeta* m = v.meta;
    if (m) {
        if (!m->childId.empty()) f("child_id", 'v', clean(m->childId, 1));
        if (m->kind != ProcessKind::Worker) {
            static const std::string sup = "supervisor", dyn = "dynamic_supervisor";
            f("kind", 's', m->kind == ProcessKind::Supervisor ? &sup : &dyn);
        }
        if (!m->strategy.empty()) f("strategy", 's', &m->strategy);
        if (!m->restart.empty()) f("restart", 's', &m->restart);
        if (!m->shutdown.empty()) f("shutdown", 's', &m->shutdown);
        if (m->significant) f("significant", 'b', &m->significant);
    }
    if (v.status != ProcessStatus::Waiting) {
        static const std::string names[] = {"waiting", "runnable", "running", "exiting", "dead"};
        f("status", 's', &names[std::min<int>(int(v.status), 4)]);
    }
    if (!v.initialCall.empty()) f("initial_call", 'v', clean(v.initialCall, 2));
    if (v.mailboxLength) f("mailbox", 'i', &v.mailboxLength);
    if (v.messagesHandled) f("handled", 'u', &v.messagesHandled);
    if (v.memoryBytes) f("memory", 'u', &v.memoryBytes);
    if (m) {
        if (v.restartsInWindow) f("restarts_in_window", 'n', &v.restartsInWindow);
        if (m->maxRestarts) f("max_restarts", 'n', &m->maxRestarts);
        if (m->maxSeconds) f("max_seconds", 'n', &m->maxSeconds);
    }
    if (!v.links.empty()) f("links", 'A', &v.links);
    if (!v.monitors.empty()) f("monitors", 'A', &v.monitors);
    f("start_order", 'u', &v.pid);
}

template <class Visit> void jsonRecord(JsonOut& o, Visit&& visit) {
    o.ch('{');
    bool first = true;
    visit([&](std::string_view key, char kind, const void* v) {
        if (!first) o.ch(',');
        first = false;
        std::uint8_t* p = o.s.room(key.size() + 3);
        *p++ = '"';
        std::memcpy(p, key.data(), key.size());
        p[key.size()] = '"';
        p[key.size() + 1] = ':';
        switch (kind) {
        case 'u': o.num(*static_cast<const std::uint64_t*>(v)); break;
        case 'i': o.num(*static_cast<const std::int64_t*>(v)); break;
        case 'n': o.num(*static_cast<const int*>(v)); break;
        case 's': o.str(*static_cast<const std::string*>(v)); break;
        case 'v': o.str(*static_cast<const std::string_view*>(v)); break;
        case 'b': o.raw(*static_cast<const bool*>(v) ? "true" : "false"); break;
        case 'a':
        case 'A': {
            const std::span<const std::uint64_t> a =
                kind == 'a' ? std::span<const std::uint64_t>(*static_cast<const std::vector<std::uint64_t>*>(v))
                            : *static_cast<const std::span<const std::uint64_t>*>(v);
            o.ch('[');
            bool f2 = true;
            for (auto x : a) {
                if (!f2) o.ch(',');
                f2 = false;
                o.num(x);
            }
            o.ch(']');
            break;
        }
        }
    });
    o.ch('}');
}

template <class Visit> void cborRecord(CborOut& o, Visit&& visit) {
    o.s.put(0xbf); // indefinite-length map: one pass over the fields
    visit([&](std::string_view key, char kind, const void* v) {
        o.key(key);
        switch (kind) {
        case 'u': o.u(*static_cast<const std::uint64_t*>(v)); break;
        case 'i': o.i(*static_cast<const std::int64_t*>(v)); break;
        case 'n': o.i(*static_cast<const int*>(v)); break;
        case 's': o.str(*static_cast<const std::string*>(v)); break;
        case 'v': o.str(*static_cast<const std::string_view*>(v)); break;
        case 'b': o.boolean(*static_cast<const bool*>(v)); break;
        case 'a':
        case 'A': {
            const std::span<const std::uint64_t> a =
                kind == 'a' ? std::span<const std::uint64_t>(*static_cast<const std::vector<std::uint64_t>*>(v))
                            : *static_cast<const std::span<const std::uint64_t>*>(v);
            o.head(4, a.size());
            for (auto x : a) o.u(x);
            break;
        }
        }
    });
    o.s.put(0xff);
}

} // namespace

std::size_t KeyframeEncoder::appendLiveFrame(std::vector<std::uint8_t>& out, const Runtime& rt, std::uint64_t seq,
                                             Encoding encoding) {
    const std::size_t start = out.size();
    out.resize(start + protocol::kFrameHeaderSize);
    out.reserve(start + protocol::kFrameHeaderSize + rt.processCount() * 150 + 64);
    const std::int64_t timeNs = rt.clock().nowNs();
    std::size_t n = 0;
    std::string tmp[3];
    if (encoding == Encoding::Cbor) {
        CborOut o{out};
        o.head(5, 4);
        o.key("type");
        o.str("keyframe");
        o.key("seq");
        o.u(seq);
        o.key("time_ns");
        o.i(timeNs);
        o.key("processes");
        o.s.put(0x9f); // indefinite-length array: the count is known only after the walk
        rt.forEachProcessView([&](const ProcessView& view) {
            ++n;
            cborRecord(o, [&](auto&& f) { forViewFields(view, tmp, f); });
        });
        o.s.put(0xff);
    } else {
        JsonOut o{out};
        o.raw("{\"type\":\"keyframe\",\"seq\":");
        o.num(seq);
        o.raw(",\"time_ns\":");
        o.num(timeNs);
        o.raw(",\"processes\":[");
        rt.forEachProcessView([&](const ProcessView& view) {
            if (n++) o.ch(',');
            jsonRecord(o, [&](auto&& f) { forViewFields(view, tmp, f); });
        });
        o.raw("]}");
    }
    const std::size_t payload = out.size() - start - protocol::kFrameHeaderSize;
    FrameReader::writeHeader(out.data() + start, static_cast<std::uint32_t>(payload), static_cast<std::uint8_t>(encoding));
    return n;
}

void KeyframeEncoder::sanitizeUtf8(std::string& s) {
    std::size_t i = 0;
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80) break;
    if (i == s.size()) return; // ASCII fast path
    std::string out(s, 0, i);
    while (i < s.size()) {
        const auto n = utf8Len(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    s = std::move(out);
}

std::size_t KeyframeEncoder::appendFrame(std::vector<std::uint8_t>& out, const Keyframe& keyframe, Encoding encoding) {
    if (!keyframe.slots.empty()) return Codec::appendFrame(out, keyframe, encoding);
    const std::size_t start = out.size();
    out.resize(start + protocol::kFrameHeaderSize);
    out.reserve(start + protocol::kFrameHeaderSize + keyframe.processes.size() * 160 + 64);
    if (encoding == Encoding::Cbor) cborKeyframe(out, keyframe);
    else jsonKeyframe(out, keyframe);
    const std::size_t payload = out.size() - start - protocol::kFrameHeaderSize;
    FrameReader::writeHeader(out.data() + start, static_cast<std::uint32_t>(payload), static_cast<std::uint8_t>(encoding));
    return out.size() - start;
}

} // namespace canopy::introspection
