#include "introspection/cbor_reader.h"
#include <array>
#include <cmath>
#include <cstring>

namespace canopy::introspection {

void CborReader::syntax(const std::string& what) const {
    throw WireError(WireError::Kind::Syntax, what + " at byte " + std::to_string(offset()));
}

std::uint64_t CborReader::lengthSlow(std::uint8_t ai, int major) {
    // Reached for the reserved values, an indefinite length, or a head cut by the end of input.
    int bytes = 0;
    switch (ai) {
    case 24: bytes = 1; break;
    case 25: bytes = 2; break;
    case 26: bytes = 4; break;
    case 27: bytes = 8; break;
    default:
        --m_p;
        syntax(ai == 31 ? "unexpected indefinite length" : "reserved CBOR additional information " + std::to_string(ai));
    }
    const std::uint8_t* p = take(std::uint64_t(bytes));
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    (void)major;
    return v;
}

CborReader::Kind CborReader::peek() const {
    if (m_p >= m_end) syntax("unexpected end of input");
    const std::uint8_t b = *m_p;
    switch (b >> 5) {
    case 0:
    case 1: return Kind::Integer;
    case 2: return Kind::Bytes;
    case 3: return Kind::Text;
    case 4: return Kind::Array;
    case 5: return Kind::Map;
    case 6: syntax("CBOR tags are not used by the protocol");
    default:
        if (b == 0xf4 || b == 0xf5) return Kind::Bool;
        if (b == 0xf6 || b == 0xf7) return Kind::Null;
        if (b == 0xf9 || b == 0xfa || b == 0xfb) return Kind::Float;
        if (b == 0xff) syntax("unexpected break");
        syntax("unsupported CBOR simple value " + std::to_string(b));
    }
}

void CborReader::push(std::uint64_t left, bool indefinite) {
    if (m_depth >= protocol::kMaxNestingDepth) syntax("nesting deeper than " + std::to_string(protocol::kMaxNestingDepth));
    m_levels[m_depth++] = Level{left, indefinite};
}

void CborReader::enterMap(const char* what) {
    if (m_p >= m_end) syntax("unexpected end of input");
    if ((*m_p >> 5) != 5) {
        (void)peek(); // a syntax error (end, reserved byte) is reported as such
        throw WireError(WireError::Kind::Field, what);
    }
    if ((*m_p & 31) == 31) {
        ++m_p;
        push(0, true);
        return;
    }
    const std::uint64_t n = length(5);
    if (n > std::uint64_t(m_end - m_p) / 2) syntax("map of " + std::to_string(n) + " entries is longer than the input");
    push(n, false);
}

std::size_t CborReader::enterArray(const char* what) {
    if (m_p >= m_end) syntax("unexpected end of input");
    if ((*m_p >> 5) != 4) {
        (void)peek();
        throw WireError(WireError::Kind::Field, what);
    }
    if ((*m_p & 31) == 31) {
        ++m_p;
        push(0, true);
        return 0;
    }
    const std::uint64_t n = length(4);
    if (n > std::uint64_t(m_end - m_p)) syntax("array of " + std::to_string(n) + " elements is longer than the input");
    push(n, false);
    return std::size_t(n);
}

std::string_view CborReader::keySlow() {
    if (m_p >= m_end) syntax("unexpected end of input");
    if ((*m_p >> 5) != 3) {
        (void)peek();
        throw WireError(WireError::Kind::Field, "a map key is not a string");
    }
    readTextSlow(m_keyScratch);
    return m_keyScratch;
}

void CborReader::readTextSlow(std::string& out) {
    if (m_p >= m_end) syntax("unexpected end of input");
    if ((*m_p >> 5) != 3) {
        (void)peek();
        throw WireError(WireError::Kind::Field, "expected a string");
    }
    if ((*m_p & 31) != 31) {
        const std::uint64_t n = length(3);
        out.assign(reinterpret_cast<const char*>(take(n)), n);
        return;
    }
    ++m_p; // indefinite-length text: definite text chunks until a break
    out.clear();
    while (true) {
        if (m_p >= m_end) syntax("unexpected end of input");
        if (*m_p == 0xff) {
            ++m_p;
            return;
        }
        if ((*m_p >> 5) != 3 || (*m_p & 31) == 31) syntax("a chunk of an indefinite-length string is not a definite text string");
        const std::uint64_t n = length(3);
        out.append(reinterpret_cast<const char*>(take(n)), n);
    }
}

double CborReader::readNumber() {
    if (m_p >= m_end) syntax("unexpected end of input");
    const std::uint8_t b = *m_p;
    if ((b >> 5) <= 1) {
        bool negative = false;
        std::uint64_t m = 0;
        readInteger(negative, m);
        return negative ? -1.0 - double(m) : double(m);
    }
    if (b == 0xf9) {
        const std::uint8_t* p = take(3) + 1;
        const int half = (p[0] << 8) | p[1];
        const int exp = (half >> 10) & 0x1f;
        const int mant = half & 0x3ff;
        double v = exp == 0 ? std::ldexp(mant, -24) : exp != 31 ? std::ldexp(mant + 1024, exp - 25) : mant == 0 ? INFINITY : NAN;
        return (half & 0x8000) ? -v : v;
    }
    if (b == 0xfa) {
        const std::uint8_t* p = take(5) + 1;
        const std::uint32_t bits = (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    if (b == 0xfb) {
        const std::uint8_t* p = take(9) + 1;
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    (void)peek();
    throw WireError(WireError::Kind::Field, "expected a number");
}

bool CborReader::readBool() {
    if (m_p < m_end && (*m_p == 0xf4 || *m_p == 0xf5)) return *m_p++ == 0xf5;
    (void)peek();
    throw WireError(WireError::Kind::Field, "expected true or false");
}

namespace {
/// What skipQuick() does with an item by its initial byte: the head's size (1 + argument bytes)
/// and what follows it.
enum class QuickKind : std::uint8_t { Scalar, Bytes, Array, Map, Careful };
struct QuickHead {
    QuickKind kind;
    std::uint8_t size;
};
constexpr std::array<QuickHead, 256> makeQuickHeads() {
    std::array<QuickHead, 256> t{};
    for (int b = 0; b < 256; ++b) {
        const int major = b >> 5, ai = b & 31;
        QuickKind kind = major == 2 || major == 3 ? QuickKind::Bytes
                         : major == 4             ? QuickKind::Array
                         : major == 5             ? QuickKind::Map
                         : major == 6             ? QuickKind::Careful
                                                  : QuickKind::Scalar;
        if (ai >= 28) kind = QuickKind::Careful; // indefinite lengths and reserved values
        t[std::size_t(b)] = {kind, std::uint8_t(ai < 24 ? 1 : ai < 28 ? 1 + (1 << (ai - 24)) : 1)};
    }
    return t;
}
constexpr std::array<QuickHead, 256> kQuickHeads = makeQuickHeads();
} // namespace

void CborReader::skipQuick() {
    const std::uint8_t* p = m_p;
    const std::uint8_t* const end = m_end;
    std::uint64_t pending = 1; // items still to skip; every container here has a definite length
    while (pending) {
        if (p >= end) break;
        const QuickHead h = kQuickHeads[*p];
        if (std::size_t(end - p) < h.size) break;
        std::uint64_t arg = *p & 31;
        switch (h.size) {
        case 1: break;
        case 2: arg = p[1]; break;
        case 3: arg = (std::uint64_t(p[1]) << 8) | p[2]; break;
        case 5: {
            std::uint32_t x;
            std::memcpy(&x, p + 1, 4);
            arg = __builtin_bswap32(x);
            break;
        }
        default: {
            std::uint64_t x;
            std::memcpy(&x, p + 1, 8);
            arg = __builtin_bswap64(x);
        }
        }
        const std::size_t room = std::size_t(end - p) - h.size;
        p += h.size;
        switch (h.kind) {
        case QuickKind::Scalar: // integers, simple values, floats (their head holds them)
            --pending;
            break;
        case QuickKind::Bytes:
            if (arg > room) goto careful;
            p += arg;
            --pending;
            break;
        case QuickKind::Array:
            // Each element takes at least a byte: a longer container cannot be in the input.
            if (arg > room) goto careful;
            pending += arg - 1;
            break;
        case QuickKind::Map:
            if (arg > room) goto careful;
            pending += 2 * arg - 1;
            break;
        case QuickKind::Careful:
            goto careful;
        }
    }
    if (pending == 0) {
        m_p = p;
        return;
    }
careful:
    skip(); // something the quick path does not take: the careful one, from the item's start
}

void CborReader::skip() {
    // Iterative: `left` counts the items still to skip at each level opened here (-1: indefinite).
    std::int64_t left[protocol::kMaxNestingDepth + 2];
    int depth = 0;
    left[0] = 1;
    while (true) {
        if (left[depth] == 0) {
            if (depth == 0) return;
            --depth;
            continue;
        }
        if (m_p >= m_end) syntax("unexpected end of input");
        const std::uint8_t b = *m_p;
        if (left[depth] < 0 && b == 0xff) {
            ++m_p;
            if (depth == 0) return;
            --depth;
            continue;
        }
        if (left[depth] > 0) --left[depth];
        const int major = b >> 5;
        const std::uint8_t ai = b & 31;
        if (major == 7) {
            if (b >= 0xf4 && b <= 0xf7) ++m_p;
            else if (b == 0xf9) take(3);
            else if (b == 0xfa) take(5);
            else if (b == 0xfb) take(9);
            else (void)peek(); // throws for break and unsupported simple values
            continue;
        }
        if (major == 6) (void)peek();
        if (ai == 31) {
            if (major == 0 || major == 1) syntax("an integer cannot have an indefinite length");
            ++m_p;
            if (major == 2 || major == 3) {
                while (true) { // string chunks until the break
                    if (m_p >= m_end) syntax("unexpected end of input");
                    if (*m_p == 0xff) {
                        ++m_p;
                        break;
                    }
                    if ((*m_p >> 5) != major || (*m_p & 31) == 31) syntax("a bad chunk in an indefinite-length string");
                    take(length(major));
                }
                continue;
            }
            if (m_depth + depth + 1 > protocol::kMaxNestingDepth)
                syntax("nesting deeper than " + std::to_string(protocol::kMaxNestingDepth));
            left[++depth] = -1;
            continue;
        }
        const std::uint64_t n = length(major);
        if (major == 2 || major == 3) {
            take(n);
        } else if (major == 4 || major == 5) {
            const std::uint64_t items = major == 5 ? n * 2 : n;
            if (n > std::uint64_t(m_end - m_p) || items > std::uint64_t(m_end - m_p)) syntax("a container longer than the input");
            if (m_depth + depth + 1 > protocol::kMaxNestingDepth)
                syntax("nesting deeper than " + std::to_string(protocol::kMaxNestingDepth));
            left[++depth] = std::int64_t(items);
        }
    }
}

void CborReader::finish() const {
    if (m_p != m_end) syntax(std::to_string(m_end - m_p) + " bytes after the end of the message");
}

} // namespace canopy::introspection
