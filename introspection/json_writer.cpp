#include "introspection/json_writer.h"
#include "introspection/utf8.h"
#include <charconv>
#include <cmath>
#include <string>

namespace canopy::introspection {

void JsonWriter::separate() {
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_depth > 0) {
        if (!m_first[m_depth]) m_sink.put(',');
        m_first[m_depth] = false;
    }
}

void JsonWriter::open(char c) {
    separate();
    m_sink.put(static_cast<std::uint8_t>(c));
    if (m_depth < 63) ++m_depth;
    m_first[m_depth] = true;
}

void JsonWriter::close(char c) {
    if (m_depth > 0) --m_depth;
    m_sink.put(static_cast<std::uint8_t>(c));
}

void JsonWriter::key(std::string_view k) {
    text(k);
    m_sink.put(':');
    m_afterKey = true;
}

void JsonWriter::u64(std::uint64_t v) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_sink.put(buf, std::size_t(r.ptr - buf));
}

void JsonWriter::i64(std::int64_t v) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_sink.put(buf, std::size_t(r.ptr - buf));
}

void JsonWriter::f64(double v) {
    if (!std::isfinite(v)) {
        null();
        return;
    }
    separate();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_sink.put(buf, std::size_t(r.ptr - buf));
}

void JsonWriter::boolean(bool v) {
    separate();
    if (v) m_sink.put("true", 4);
    else m_sink.put("false", 5);
}

void JsonWriter::null() {
    separate();
    m_sink.put("null", 4);
}

void JsonWriter::text(std::string_view t) {
    separate();
    m_sink.put('"');
    std::size_t clean = 0;
    while (clean < t.size()) {
        const auto c = static_cast<unsigned char>(t[clean]);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
        ++clean;
    }
    m_sink.put(t.data(), clean); // the common case: plain ASCII, nothing to escape
    for (std::size_t i = clean; i < t.size();) {
        const auto c = static_cast<unsigned char>(t[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8::sequenceLength(t, i);
            if (n == 0) {
                m_sink.put("\xEF\xBF\xBD", 3);
                ++i;
            } else {
                m_sink.put(t.data() + i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"': m_sink.put("\\\"", 2); break;
        case '\\': m_sink.put("\\\\", 2); break;
        case '\n': m_sink.put("\\n", 2); break;
        case '\r': m_sink.put("\\r", 2); break;
        case '\t': m_sink.put("\\t", 2); break;
        case '\b': m_sink.put("\\b", 2); break;
        case '\f': m_sink.put("\\f", 2); break;
        default:
            if (c < 0x20) {
                static const char* hex = "0123456789abcdef";
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                m_sink.put(esc, 6);
            } else {
                m_sink.put(c);
            }
        }
        ++i;
    }
    m_sink.put('"');
}

} // namespace canopy::introspection
