#pragma once
#include "introspection/byte_sink.h"
#include <cstdint>
#include <string_view>
#include <vector>

namespace canopy::introspection {

/// Writes compact JSON text straight into a byte vector, one pass, no document; the same calls as
/// CborWriter so one table-driven encoder serves both. Strings are escaped and invalid UTF-8 is
/// replaced by U+FFFD (JSON text must be UTF-8); non-finite numbers are written as null.
class JsonWriter {
public:
    /// Appends after the end of `out`.
    explicit JsonWriter(std::vector<std::uint8_t>& out) : m_sink(out) {}

    /// Starts an object; the mark and count are for CborWriter's benefit.
    std::size_t beginMap() {
        open('{');
        return 0;
    }
    /// Ends the object.
    void endMap(std::size_t, std::size_t) { close('}'); }
    /// Starts an array (`count` is not needed in JSON); end it with endArray().
    void beginArray(std::size_t) { open('['); }
    /// Ends an array started by beginArray().
    void endArray() { close(']'); }
    /// Starts an array of a count not known yet; end it with endOpenArray().
    std::size_t beginOpenArray() {
        open('[');
        return 0;
    }
    void endOpenArray(std::size_t, std::uint32_t) { close(']'); }
    /// An object key (the value follows).
    void key(std::string_view k);
    void u64(std::uint64_t v);
    void i64(std::int64_t v);
    void f64(double v);
    void boolean(bool v);
    void null();
    /// A string, escaped.
    void text(std::string_view t);

private:
    void separate();
    void open(char c);
    void close(char c);

    ByteSink m_sink;
    /// Per open container: nothing written in it yet.
    bool m_first[64] = {};
    int m_depth = 0;
    bool m_afterKey = false;
};

} // namespace canopy::introspection
