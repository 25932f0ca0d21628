#pragma once
#include "introspection/byte_sink.h"
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace canopy::introspection {

/// Writes CBOR (RFC 8949) straight into a byte vector, one pass, no document: maps get their count
/// patched in when they end, so the writer never needs to know it in advance. Used by the codec (via
/// the wire table) and by the probe's keyframe encoder.
class CborWriter {
public:
    /// Appends after the end of `out`.
    explicit CborWriter(std::vector<std::uint8_t>& out) : m_sink(out) {}

    /// Starts a map; pass the returned mark and the number of keys written to endMap().
    std::size_t beginMap() {
        const std::size_t mark = m_sink.position();
        m_sink.put(0xa0);
        return mark;
    }
    /// Ends a map, writing its key count into the head written by beginMap().
    void endMap(std::size_t mark, std::size_t count) {
        if (count < 24) {
            *m_sink.at(mark) = static_cast<std::uint8_t>(0xa0 | count);
            return;
        }
        const std::size_t bytes = headBytes(count);
        m_sink.insertAt(mark + 1, bytes - 1);
        writeHead(m_sink.at(mark), 5, count, bytes);
    }
    /// Starts an array of `count` elements; endArray() after them (nothing to write in CBOR).
    void beginArray(std::size_t count) { head(4, count); }
    void endArray() {}
    /// Starts an array whose count is known only at its end (a 32-bit count patched in by
    /// endOpenArray(): valid CBOR, and readers can reserve room from it).
    std::size_t beginOpenArray() {
        const std::size_t mark = m_sink.position();
        std::uint8_t* p = m_sink.room(5);
        p[0] = 0x9a;
        return mark;
    }
    /// Ends an array started by beginOpenArray() with `count` elements.
    void endOpenArray(std::size_t mark, std::uint32_t count) {
        std::uint8_t* p = m_sink.at(mark) + 1;
        for (int k = 3; k >= 0; --k) *p++ = static_cast<std::uint8_t>(count >> (8 * k));
    }
    /// A map key.
    void key(std::string_view k) { text(k); }
    void u64(std::uint64_t v) { head(0, v); }
    void i64(std::int64_t v) {
        if (v >= 0) head(0, static_cast<std::uint64_t>(v));
        else head(1, static_cast<std::uint64_t>(-1 - v));
    }
    void f64(double v) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        std::uint8_t* p = m_sink.room(9);
        *p++ = 0xfb;
        for (int k = 7; k >= 0; --k) *p++ = static_cast<std::uint8_t>(bits >> (8 * k));
    }
    void boolean(bool v) { m_sink.put(v ? 0xf5 : 0xf4); }
    void null() { m_sink.put(0xf6); }
    /// A text string (bytes written as given).
    void text(std::string_view t) {
        head(3, t.size());
        m_sink.put(t.data(), t.size());
    }

private:
    static std::size_t headBytes(std::uint64_t v) {
        return v < 24 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffffffffu ? 5 : 9;
    }
    static void writeHead(std::uint8_t* p, std::uint8_t major, std::uint64_t v, std::size_t bytes) {
        const std::uint8_t m = static_cast<std::uint8_t>(major << 5);
        if (bytes == 1) {
            *p = static_cast<std::uint8_t>(m | v);
            return;
        }
        *p++ = static_cast<std::uint8_t>(m | (bytes == 2 ? 24 : bytes == 3 ? 25 : bytes == 5 ? 26 : 27));
        for (int k = int(bytes) - 2; k >= 0; --k) *p++ = static_cast<std::uint8_t>(v >> (8 * k));
    }
    void head(std::uint8_t major, std::uint64_t v) {
        if (v < 24) {
            m_sink.put(static_cast<std::uint8_t>((major << 5) | v));
            return;
        }
        const std::size_t bytes = headBytes(v);
        writeHead(m_sink.room(bytes), major, v, bytes);
    }

    ByteSink m_sink;
};

} // namespace canopy::introspection
