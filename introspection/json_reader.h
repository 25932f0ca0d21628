#pragma once
#include "introspection/protocol.h"
#include "introspection/wire_error.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace canopy::introspection {

/// A pull reader over one JSON value (RFC 8259), with the same calls as CborReader so one
/// table-driven decoder serves both. Strict: invalid UTF-8, unescaped control characters, lone
/// surrogates, leading zeros and trailing bytes are errors. Nothing recurses on input structure;
/// nesting deeper than protocol::kMaxNestingDepth throws WireError, as does any malformed text.
class JsonReader {
public:
    /// What the next value is (Integer also covers numbers with a fraction or exponent: Float).
    enum class Kind { Integer, Float, Text, Bytes, Bool, Null, Array, Map };

    /// Reads `data` (not copied: it must outlive the reader).
    explicit JsonReader(std::span<const std::uint8_t> data)
        : m_p(reinterpret_cast<const char*>(data.data())), m_begin(m_p), m_end(m_p + data.size()) {}

    /// The kind of the next value.
    Kind peek();
    /// Consumes a null if that is what comes next.
    bool takeNull();
    /// Enters an object (a Field error `what` if the next value is not one); then loop on nextKey().
    void enterMap(const char* what);
    /// The next key of the current object, or false when it ended (the object is left).
    bool nextKey(std::string_view& key);
    /// Enters an array (a Field error `what` if the next value is not one); returns 0 (unknown
    /// length); then loop on nextElement().
    std::size_t enterArray(const char* what);
    /// True when the current array has another element; false when it ended (the array is left).
    bool nextElement();
    /// An integer: `negative` and the magnitude (the value is -1 - magnitude when negative,
    /// as in CBOR). A number with a fraction or exponent is a Field error.
    void readInteger(bool& negative, std::uint64_t& magnitude);
    /// Any number as a double.
    double readNumber();
    bool readBool();
    /// A string into `out` (escapes decoded; its capacity is reused).
    void readText(std::string& out);
    /// Skips the next value whatever it is.
    void skip();
    /// Checks that nothing but whitespace follows the top-level value.
    void finish();
    /// Bytes consumed so far.
    std::size_t offset() const { return std::size_t(m_p - m_begin); }

private:
    struct Level {
        bool first;
    };
    [[noreturn]] void syntax(const std::string& what) const;
    void ws() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
    }
    char next() {
        ws();
        if (m_p >= m_end) syntax("unexpected end of input");
        return *m_p;
    }
    void push();
    /// Scans a number token; `isFloat` when it has a fraction or exponent.
    std::string_view numberToken(bool& isFloat);
    /// Reads a string whose opening quote is at m_p; returns a view of the raw bytes when it has no
    /// escapes, else decodes into `scratch` and returns a view of it.
    std::string_view string(std::string& scratch);
    void literal(const char* word, std::size_t n);

    const char* m_p;
    const char* m_begin;
    const char* m_end;
    Level m_levels[protocol::kMaxNestingDepth + 1];
    int m_depth = 0;
    std::string m_scratch;
};

} // namespace canopy::introspection
