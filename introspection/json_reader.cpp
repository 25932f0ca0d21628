#include "introspection/json_reader.h"
#include "introspection/utf8.h"
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace canopy::introspection {

void JsonReader::syntax(const std::string& what) const {
    throw WireError(WireError::Kind::Syntax, what + " at byte " + std::to_string(offset()));
}

JsonReader::Kind JsonReader::peek() {
    const char c = next();
    switch (c) {
    case '{': return Kind::Map;
    case '[': return Kind::Array;
    case '"': return Kind::Text;
    case 't':
    case 'f': return Kind::Bool;
    case 'n': return Kind::Null;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            const char* save = m_p;
            bool isFloat = false;
            numberToken(isFloat);
            m_p = save;
            return isFloat ? Kind::Float : Kind::Integer;
        }
        syntax(std::string("unexpected character '") + (c >= 0x20 && c < 0x7f ? std::string(1, c) : "\\x" + std::to_string(int(static_cast<unsigned char>(c)))) + "'");
    }
}

void JsonReader::literal(const char* word, std::size_t n) {
    if (std::size_t(m_end - m_p) < n || std::string_view(m_p, n) != std::string_view(word, n))
        syntax(std::string("invalid literal (expected ") + word + ")");
    m_p += n;
}

bool JsonReader::takeNull() {
    if (next() != 'n') return false;
    literal("null", 4);
    return true;
}

void JsonReader::push() {
    if (m_depth >= protocol::kMaxNestingDepth) syntax("nesting deeper than " + std::to_string(protocol::kMaxNestingDepth));
    m_levels[m_depth++] = Level{true};
}

void JsonReader::enterMap(const char* what) {
    if (next() != '{') {
        (void)peek(); // malformed text is a syntax error, not a wrong type
        throw WireError(WireError::Kind::Field, what);
    }
    ++m_p;
    push();
}

bool JsonReader::nextKey(std::string_view& key) {
    Level& l = m_levels[m_depth - 1];
    char c = next();
    if (c == '}') {
        ++m_p;
        --m_depth;
        return false;
    }
    if (!l.first) {
        if (c != ',') syntax("expected ',' or '}' in an object");
        ++m_p;
        c = next();
    }
    l.first = false;
    if (c != '"') syntax("expected a string key in an object");
    key = string(m_scratch);
    if (next() != ':') syntax("expected ':' after an object key");
    ++m_p;
    return true;
}

std::size_t JsonReader::enterArray(const char* what) {
    if (next() != '[') {
        (void)peek();
        throw WireError(WireError::Kind::Field, what);
    }
    ++m_p;
    push();
    return 0;
}

bool JsonReader::nextElement() {
    Level& l = m_levels[m_depth - 1];
    const char c = next();
    if (c == ']') {
        ++m_p;
        --m_depth;
        return false;
    }
    if (!l.first) {
        if (c != ',') syntax("expected ',' or ']' in an array");
        ++m_p;
    }
    l.first = false;
    return true;
}

std::string_view JsonReader::numberToken(bool& isFloat) {
    const char* start = m_p;
    const char* p = m_p;
    auto digits = [&] {
        const char* d = p;
        while (p < m_end && *p >= '0' && *p <= '9') ++p;
        return p - d;
    };
    if (p < m_end && *p == '-') ++p;
    if (p >= m_end || *p < '0' || *p > '9') syntax("invalid number");
    if (*p == '0') {
        ++p;
        if (p < m_end && *p >= '0' && *p <= '9') syntax("invalid number (leading zero)");
    } else {
        digits();
    }
    isFloat = false;
    if (p < m_end && *p == '.') {
        ++p;
        isFloat = true;
        if (digits() == 0) syntax("invalid number (no digits after '.')");
    }
    if (p < m_end && (*p == 'e' || *p == 'E')) {
        ++p;
        isFloat = true;
        if (p < m_end && (*p == '+' || *p == '-')) ++p;
        if (digits() == 0) syntax("invalid number (no exponent digits)");
    }
    m_p = p;
    return std::string_view(start, std::size_t(p - start));
}

void JsonReader::readInteger(bool& negative, std::uint64_t& magnitude) {
    const char c = next();
    if (c != '-' && (c < '0' || c > '9')) {
        (void)peek();
        throw WireError(WireError::Kind::Field, "expected an integer");
    }
    bool isFloat = false;
    const std::string_view t = numberToken(isFloat);
    if (isFloat) throw WireError(WireError::Kind::Field, "expected an integer");
    negative = t[0] == '-';
    const std::string_view d = negative ? t.substr(1) : t;
    std::uint64_t v = 0;
    auto r = std::from_chars(d.data(), d.data() + d.size(), v);
    if (r.ec != std::errc() || r.ptr != d.data() + d.size()) throw WireError(WireError::Kind::Field, "integer out of range");
    if (negative) {
        if (v == 0) {
            negative = false; // -0
            magnitude = 0;
            return;
        }
        magnitude = v - 1;
    } else {
        magnitude = v;
    }
}

double JsonReader::readNumber() {
    const char c = next();
    if (c != '-' && (c < '0' || c > '9')) {
        (void)peek();
        throw WireError(WireError::Kind::Field, "expected a number");
    }
    bool isFloat = false;
    const std::string_view t = numberToken(isFloat);
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec == std::errc::result_out_of_range) return t[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    if (r.ec != std::errc()) syntax("invalid number");
    return v;
}

bool JsonReader::readBool() {
    const char c = next();
    if (c == 't') {
        literal("true", 4);
        return true;
    }
    if (c == 'f') {
        literal("false", 5);
        return false;
    }
    (void)peek();
    throw WireError(WireError::Kind::Field, "expected true or false");
}

namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}
} // namespace

std::string_view JsonReader::string(std::string& scratch) {
    ++m_p; // the opening quote
    const char* start = m_p;
    // Fast path: plain ASCII up to the closing quote.
    while (m_p < m_end) {
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            std::string_view s(start, std::size_t(m_p - start));
            ++m_p;
            return s;
        }
        if (c == '\\' || c < 0x20 || c >= 0x80) break;
        ++m_p;
    }
    scratch.assign(start, std::size_t(m_p - start));
    while (true) {
        if (m_p >= m_end) syntax("unterminated string");
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            ++m_p;
            return scratch;
        }
        if (c < 0x20) syntax("control character in a string");
        if (c >= 0x80) {
            const std::size_t n = utf8::sequenceLength(std::string_view(m_p, std::size_t(m_end - m_p)), 0);
            if (n == 0) syntax("invalid UTF-8 in a string");
            scratch.append(m_p, n);
            m_p += n;
            continue;
        }
        if (c != '\\') {
            scratch += char(c);
            ++m_p;
            continue;
        }
        if (m_end - m_p < 2) syntax("unterminated string");
        const char e = m_p[1];
        m_p += 2;
        switch (e) {
        case '"': scratch += '"'; break;
        case '\\': scratch += '\\'; break;
        case '/': scratch += '/'; break;
        case 'b': scratch += '\b'; break;
        case 'f': scratch += '\f'; break;
        case 'n': scratch += '\n'; break;
        case 'r': scratch += '\r'; break;
        case 't': scratch += '\t'; break;
        case 'u': {
            auto hex4 = [&]() -> std::uint32_t {
                if (m_end - m_p < 4) syntax("truncated \\u escape");
                std::uint32_t v = 0;
                for (int i = 0; i < 4; ++i) {
                    const int h = hexValue(m_p[i]);
                    if (h < 0) syntax("invalid \\u escape");
                    v = (v << 4) | std::uint32_t(h);
                }
                m_p += 4;
                return v;
            };
            std::uint32_t cp = hex4();
            if (cp >= 0xDC00 && cp <= 0xDFFF) syntax("lone low surrogate in a \\u escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u') syntax("lone high surrogate in a \\u escape");
                m_p += 2;
                const std::uint32_t lo = hex4();
                if (lo < 0xDC00 || lo > 0xDFFF) syntax("a high surrogate not followed by a low one");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            appendUtf8(scratch, cp);
            break;
        }
        default: syntax("invalid escape in a string");
        }
    }
}

void JsonReader::readText(std::string& out) {
    if (next() != '"') {
        (void)peek();
        throw WireError(WireError::Kind::Field, "expected a string");
    }
    const std::string_view s = string(out);
    if (s.data() != out.data()) out.assign(s.data(), s.size());
}

void JsonReader::skip() {
    // Iterative: each level opened here is an object ('{') or an array ('[').
    char open[protocol::kMaxNestingDepth + 2];
    int depth = 0;
    bool first = true;
    while (true) {
        char c = next();
        if (depth > 0) {
            const char closer = open[depth - 1] == '{' ? '}' : ']';
            if (c == closer) {
                ++m_p;
                --depth;
                first = false;
                if (depth == 0) return;
                continue;
            }
            if (!first) {
                if (c != ',') syntax(std::string("expected ',' or '") + closer + "'");
                ++m_p;
                c = next();
            }
            first = false;
            if (open[depth - 1] == '{') {
                if (c != '"') syntax("expected a string key in an object");
                string(m_scratch);
                if (next() != ':') syntax("expected ':' after an object key");
                ++m_p;
                c = next();
            }
        }
        switch (c) {
        case '{':
        case '[':
            if (m_depth + depth + 1 > protocol::kMaxNestingDepth)
                syntax("nesting deeper than " + std::to_string(protocol::kMaxNestingDepth));
            open[depth++] = c;
            ++m_p;
            first = true;
            continue;
        case '"': string(m_scratch); break;
        case 't': literal("true", 4); break;
        case 'f': literal("false", 5); break;
        case 'n': literal("null", 4); break;
        default: {
            bool isFloat = false;
            if (c != '-' && (c < '0' || c > '9')) (void)peek();
            numberToken(isFloat);
        }
        }
        if (depth == 0) return;
    }
}

void JsonReader::finish() {
    ws();
    if (m_p != m_end) syntax("unexpected bytes after the end of the message");
}

} // namespace canopy::introspection
