#pragma once
#include "introspection/protocol.h"
#include "introspection/wire_error.h"
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace canopy::introspection {

/// A pull reader over one CBOR item (RFC 8949): the table-driven decoder asks for what it expects
/// (a map, its keys, an integer, a string) and the reader checks it is there; nothing is built
/// that the caller did not ask for. Definite and indefinite lengths are both accepted. Malformed
/// bytes, a wrong type, or nesting deeper than protocol::kMaxNestingDepth throw WireError; nothing
/// recurses on input structure, so hostile input cannot exhaust the stack.
class CborReader {
public:
    /// What the next item is.
    enum class Kind { Integer, Float, Text, Bytes, Bool, Null, Array, Map };

    /// Reads `data` (not copied: it must outlive the reader).
    explicit CborReader(std::span<const std::uint8_t> data) : m_p(data.data()), m_begin(data.data()), m_end(data.data() + data.size()) {}

    /// The kind of the next item (throws at the end of input or on a reserved byte).
    Kind peek() const;
    /// Consumes a null (or undefined) if that is what comes next.
    bool takeNull() {
        if (m_p < m_end && (*m_p == 0xf6 || *m_p == 0xf7)) {
            ++m_p;
            return true;
        }
        return false;
    }
    /// Enters a map (a Field error `what` if the next item is not one); then loop on nextKey().
    void enterMap(const char* what);
    /// The next key of the current map, or false when the map ended (the map is left).
    bool nextKey(std::string_view& key) {
        if (!more()) return false;
        if (m_p < m_end && (*m_p >> 5) == 3 && (*m_p & 31) != 31) {
            const std::uint64_t n = length(3);
            key = std::string_view(reinterpret_cast<const char*>(take(n)), n);
        } else {
            key = keySlow();
        }
        return true;
    }
    /// Enters an array (a Field error `what` if the next item is not one); returns its length when
    /// definite (capped by the bytes left, so it is safe to reserve), else 0; then loop on nextElement().
    std::size_t enterArray(const char* what);
    /// True when the current array has another element; false when it ended (the array is left).
    bool nextElement() { return more(); }
    /// An integer: `negative` and the magnitude (the value is -1 - magnitude when negative).
    void readInteger(bool& negative, std::uint64_t& magnitude) {
        if (m_p < m_end && (*m_p >> 5) <= 1) {
            negative = (*m_p >> 5) == 1;
            magnitude = length(*m_p >> 5);
            return;
        }
        throw WireError(WireError::Kind::Field, "expected an integer");
    }
    /// Any number as a double.
    double readNumber();
    bool readBool();
    /// A text string into `out` (its capacity is reused).
    void readText(std::string& out) {
        if (m_p < m_end && (*m_p >> 5) == 3 && (*m_p & 31) != 31) {
            const std::uint64_t n = length(3);
            out.assign(reinterpret_cast<const char*>(take(n)), n);
            return;
        }
        readTextSlow(out);
    }
    /// Skips the next item whatever it is.
    void skip();
    /// Skips the next item like skip(), faster, but checking only bounds: ends where skip() ends
    /// on any input skip() accepts; may accept (never over-read) what skip() would refuse (simple
    /// values the protocol does not use, nesting deeper than the limit). Indefinite lengths and
    /// tags go to skip(). For a reader that only looks for where items end (a side thread finding
    /// the middle of an array the caller decodes strictly).
    void skipQuick();
    /// Checks that the top-level item ended exactly at the end of the input.
    void finish() const;
    /// Bytes consumed so far.
    std::size_t offset() const { return std::size_t(m_p - m_begin); }
    /// All the bytes the reader reads.
    std::span<const std::uint8_t> bytes() const { return {m_begin, m_end}; }
    /// Inside a definite-length array: goes on at byte `offset`, `taken` elements later (another
    /// reader decoded them). False (and nothing moved) when that does not fit the array.
    bool resumeAt(std::size_t offset, std::size_t taken) {
        if (m_depth == 0 || offset < this->offset() || offset > std::size_t(m_end - m_begin)) return false;
        Level& l = m_levels[m_depth - 1];
        if (l.indefinite || l.left < taken) return false;
        l.left -= taken;
        m_p = m_begin + offset;
        return true;
    }

private:
    struct Level {
        std::uint64_t left; ///< items (map: pairs) left in a definite container
        bool indefinite;
    };
    [[noreturn]] void syntax(const std::string& what) const;
    /// Reads the head of an item of major type `major` (already checked) and returns its argument.
    std::uint64_t length(int major) {
        const std::uint8_t ai = *m_p & 31;
        ++m_p;
        if (ai < 24) return ai;
        if (ai <= 27) {
            const std::size_t bytes = std::size_t(1) << (ai - 24);
            if (bytes <= std::size_t(m_end - m_p)) {
                std::uint64_t v;
                switch (ai) {
                case 24: v = *m_p; break;
                case 25: {
                    std::uint16_t x;
                    std::memcpy(&x, m_p, 2);
                    v = __builtin_bswap16(x);
                    break;
                }
                case 26: {
                    std::uint32_t x;
                    std::memcpy(&x, m_p, 4);
                    v = __builtin_bswap32(x);
                    break;
                }
                default: {
                    std::uint64_t x;
                    std::memcpy(&x, m_p, 8);
                    v = __builtin_bswap64(x);
                }
                }
                m_p += bytes;
                return v;
            }
        }
        return lengthSlow(ai, major);
    }
    std::uint64_t lengthSlow(std::uint8_t ai, int major);
    const std::uint8_t* take(std::uint64_t n) {
        if (n > std::uint64_t(m_end - m_p)) syntax("unexpected end of input");
        const std::uint8_t* p = m_p;
        m_p += n;
        return p;
    }
    bool more() {
        Level& l = m_levels[m_depth - 1];
        if (!l.indefinite) {
            if (l.left == 0) {
                --m_depth;
                return false;
            }
            --l.left;
            return true;
        }
        if (m_p >= m_end) syntax("unexpected end of input");
        if (*m_p == 0xff) {
            ++m_p;
            --m_depth;
            return false;
        }
        return true;
    }
    void push(std::uint64_t left, bool indefinite);
    std::string_view keySlow();
    void readTextSlow(std::string& out);

    const std::uint8_t* m_p;
    const std::uint8_t* m_begin;
    const std::uint8_t* m_end;
    Level m_levels[protocol::kMaxNestingDepth + 1];
    int m_depth = 0;
    std::string m_keyScratch;
};

} // namespace canopy::introspection
