#include "introspection/probe/keyframe_encoder.h"
#include "introspection/codec.h"
#include "introspection/frame_reader.h"
#include "introspection/protocol.h"
#include "runtime/runtime.h"
#include <charconv>
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

// ---------------------------------------------------------------- JSON
struct JsonOut {
    std::vector<std::uint8_t>& b;
    void raw(const char* s) { b.insert(b.end(), s, s + std::strlen(s)); }
    void ch(char c) { b.push_back(static_cast<std::uint8_t>(c)); }
    template <class T> void num(T v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        b.insert(b.end(), buf, r.ptr);
    }
    void str(const std::string& s) {
        ch('"');
        for (unsigned char c : s) {
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
                    b.push_back(c);
                }
            }
        }
        ch('"');
    }
};

// ---------------------------------------------------------------- CBOR
struct CborOut {
    std::vector<std::uint8_t>& b;
    void head(std::uint8_t major, std::uint64_t v) {
        const std::uint8_t m = static_cast<std::uint8_t>(major << 5);
        if (v < 24) {
            b.push_back(static_cast<std::uint8_t>(m | v));
        } else if (v <= 0xff) {
            b.push_back(m | 24);
            b.push_back(static_cast<std::uint8_t>(v));
        } else if (v <= 0xffff) {
            b.push_back(m | 25);
            for (int s = 8; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
        } else if (v <= 0xffffffffu) {
            b.push_back(m | 26);
            for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
        } else {
            b.push_back(m | 27);
            for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
        }
    }
    void u(std::uint64_t v) { head(0, v); }
    void i(std::int64_t v) {
        if (v >= 0) head(0, static_cast<std::uint64_t>(v));
        else head(1, static_cast<std::uint64_t>(-1 - v));
    }
    void str(const std::string& s) {
        head(3, s.size());
        b.insert(b.end(), s.begin(), s.end());
    }
    void key(const char* k) {
        const auto n = std::strlen(k);
        head(3, n);
        b.insert(b.end(), k, k + n);
    }
    void boolean(bool v) { b.push_back(v ? 0xf5 : 0xf4); }
};

/// Visits the record's non-default fields in Codec's order: f(key, kind, value pointer).
/// Kinds: 'u' uint64, 'i' int64, 'n' int, 's' string, 'b' bool, 'a' vector<uint64>.
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
        o.ch('{');
        bool first = true;
        forFields(r, [&](const char* key, char kind, const void* v) {
            if (!first) o.ch(',');
            first = false;
            o.ch('"');
            o.raw(key);
            o.raw("\":");
            switch (kind) {
            case 'u': o.num(*static_cast<const std::uint64_t*>(v)); break;
            case 'i': o.num(*static_cast<const std::int64_t*>(v)); break;
            case 'n': o.num(*static_cast<const int*>(v)); break;
            case 's': o.str(*static_cast<const std::string*>(v)); break;
            case 'b': o.raw(*static_cast<const bool*>(v) ? "true" : "false"); break;
            case 'a': {
                o.ch('[');
                bool f2 = true;
                for (auto x : *static_cast<const std::vector<std::uint64_t>*>(v)) {
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
    for (const auto& r : k.processes) {
        std::uint64_t n = 0;
        forFields(r, [&](const char*, char, const void*) { ++n; });
        o.head(5, n);
        forFields(r, [&](const char* key, char kind, const void* v) {
            o.key(key);
            switch (kind) {
            case 'u': o.u(*static_cast<const std::uint64_t*>(v)); break;
            case 'i': o.i(*static_cast<const std::int64_t*>(v)); break;
            case 'n': o.i(*static_cast<const int*>(v)); break;
            case 's': o.str(*static_cast<const std::string*>(v)); break;
            case 'b': o.boolean(*static_cast<const bool*>(v)); break;
            case 'a': {
                const auto& a = *static_cast<const std::vector<std::uint64_t>*>(v);
                o.head(4, a.size());
                for (auto x : a) o.u(x);
                break;
            }
            }
        });
    }
}

/// The record fields of a live process (as KeyframeBuilder::toRecord maps them), in Codec's order.
/// Strings needing repair are sanitised into `tmp` slots.
template <class F> void forInfoFields(const ProcessInfo& i, std::string (&tmp)[3], F&& f) {
    auto clean = [](const std::string& s, std::string& t) -> const std::string* {
        for (unsigned char c : s)
            if (c >= 0x80) {
                t = s;
                KeyframeEncoder::sanitizeUtf8(t);
                return &t;
            }
        return &s;
    };
    f("pid", 'u', &i.pid);
    if (i.parent) f("parent", 'u', &i.parent);
    if (!i.registeredName.empty()) f("name", 's', clean(i.registeredName, tmp[0]));
    if (i.hasMeta) {
        if (!i.childId.empty()) f("child_id", 's', clean(i.childId, tmp[1]));
        if (i.kind != ProcessKind::Worker) {
            static const std::string sup = "supervisor", dyn = "dynamic_supervisor";
            f("kind", 's', i.kind == ProcessKind::Supervisor ? &sup : &dyn);
        }
        if (!i.strategy.empty()) f("strategy", 's', &i.strategy);
        if (!i.restart.empty()) f("restart", 's', &i.restart);
        if (!i.shutdown.empty()) f("shutdown", 's', &i.shutdown);
        if (i.significant) f("significant", 'b', &i.significant);
    }
    if (i.status != ProcessStatus::Waiting) {
        static const std::string names[] = {"waiting", "runnable", "running", "exiting", "dead"};
        f("status", 's', &names[std::min<int>(int(i.status), 4)]);
    }
    if (!i.initialCall.empty()) f("initial_call", 's', clean(i.initialCall, tmp[2]));
    if (i.mailboxLength) f("mailbox", 'i', &i.mailboxLength);
    if (i.messagesHandled) f("handled", 'u', &i.messagesHandled);
    if (i.memoryBytes) f("memory", 'u', &i.memoryBytes);
    if (i.hasMeta) {
        if (i.restartsInWindow) f("restarts_in_window", 'n', &i.restartsInWindow);
        if (i.maxRestarts) f("max_restarts", 'n', &i.maxRestarts);
        if (i.maxSeconds) f("max_seconds", 'n', &i.maxSeconds);
    }
    if (!i.links.empty()) f("links", 'a', &i.links);
    if (!i.monitors.empty()) f("monitors", 'a', &i.monitors);
    f("start_order", 'u', &i.pid);
}

template <class Visit> void jsonRecord(JsonOut& o, Visit&& visit) {
    o.ch('{');
    bool first = true;
    visit([&](const char* key, char kind, const void* v) {
        if (!first) o.ch(',');
        first = false;
        o.ch('"');
        o.raw(key);
        o.raw("\":");
        switch (kind) {
        case 'u': o.num(*static_cast<const std::uint64_t*>(v)); break;
        case 'i': o.num(*static_cast<const std::int64_t*>(v)); break;
        case 'n': o.num(*static_cast<const int*>(v)); break;
        case 's': o.str(*static_cast<const std::string*>(v)); break;
        case 'b': o.raw(*static_cast<const bool*>(v) ? "true" : "false"); break;
        case 'a': {
            o.ch('[');
            bool f2 = true;
            for (auto x : *static_cast<const std::vector<std::uint64_t>*>(v)) {
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
    std::uint64_t n = 0;
    visit([&](const char*, char, const void*) { ++n; });
    o.head(5, n);
    visit([&](const char* key, char kind, const void* v) {
        o.key(key);
        switch (kind) {
        case 'u': o.u(*static_cast<const std::uint64_t*>(v)); break;
        case 'i': o.i(*static_cast<const std::int64_t*>(v)); break;
        case 'n': o.i(*static_cast<const int*>(v)); break;
        case 's': o.str(*static_cast<const std::string*>(v)); break;
        case 'b': o.boolean(*static_cast<const bool*>(v)); break;
        case 'a': {
            const auto& a = *static_cast<const std::vector<std::uint64_t>*>(v);
            o.head(4, a.size());
            for (auto x : a) o.u(x);
            break;
        }
        }
    });
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
        out.push_back(0x9f); // indefinite-length array: the count is known only after the walk
        rt.forEachProcess([&](const ProcessInfo& info) {
            ++n;
            cborRecord(o, [&](auto&& f) { forInfoFields(info, tmp, f); });
        });
        out.push_back(0xff);
    } else {
        JsonOut o{out};
        o.raw("{\"type\":\"keyframe\",\"seq\":");
        o.num(seq);
        o.raw(",\"time_ns\":");
        o.num(timeNs);
        o.raw(",\"processes\":[");
        rt.forEachProcess([&](const ProcessInfo& info) {
            if (n++) o.ch(',');
            jsonRecord(o, [&](auto&& f) { forInfoFields(info, tmp, f); });
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
