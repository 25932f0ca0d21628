#include "app/canopy-beam/beam_term_reader.h"
#include "app/canopy-beam/beam_error.h"
#include <ei.h>

namespace canopy::beam {

namespace {
[[noreturn]] void bad(const char* what) {
    throw BeamError(std::string("unexpected reply from the node (expected ") + what + ")", 4);
}
} // namespace

BeamTermReader::BeamTermReader(const char* buf, int size, int index, bool versioned)
    : m_buf(buf), m_size(size), m_index(index) {
    if (versioned) {
        int v = 0;
        if (ei_decode_version(m_buf, &m_index, &v) < 0) bad("a versioned term");
    }
}

int BeamTermReader::type() const {
    int t = 0, sz = 0;
    if (m_index >= m_size || ei_get_type(m_buf, &m_index, &t, &sz) < 0) bad("a term");
    return t;
}

int BeamTermReader::tuple() {
    int arity = 0;
    if (ei_decode_tuple_header(m_buf, &m_index, &arity) < 0) bad("a tuple");
    return arity;
}

int BeamTermReader::list() {
    int arity = 0;
    if (type() == ERL_STRING_EXT) bad("a list of terms");
    if (ei_decode_list_header(m_buf, &m_index, &arity) < 0) bad("a list");
    return arity;
}

void BeamTermReader::nil() {
    int arity = 0;
    if (ei_decode_list_header(m_buf, &m_index, &arity) < 0 || arity != 0) bad("the end of a list");
}

std::string BeamTermReader::atom() {
    char a[MAXATOMLEN_UTF8];
    erlang_char_encoding enc{};
    if (ei_decode_atom_as(m_buf, &m_index, a, sizeof a, ERLANG_UTF8, &enc, nullptr) < 0) bad("an atom");
    return a;
}

std::string BeamTermReader::binary() {
    int t = 0, sz = 0;
    if (ei_get_type(m_buf, &m_index, &t, &sz) < 0 || t != ERL_BINARY_EXT) bad("a binary");
    std::string s(std::size_t(sz), '\0');
    long len = 0;
    if (ei_decode_binary(m_buf, &m_index, s.data(), &len) < 0) bad("a binary");
    s.resize(std::size_t(len));
    return s;
}

std::int64_t BeamTermReader::integer() {
    long long v = 0;
    if (ei_decode_longlong(m_buf, &m_index, &v) < 0) {
        unsigned long long u = 0;
        if (ei_decode_ulonglong(m_buf, &m_index, &u) < 0) bad("an integer");
        return std::int64_t(u > 0x7fffffffffffffffULL ? 0x7fffffffffffffffULL : u);
    }
    return v;
}

std::uint64_t BeamTermReader::pid(std::string* text, std::string* node, unsigned* creation) {
    erlang_pid p{};
    if (ei_decode_pid(m_buf, &m_index, &p) < 0) bad("a pid");
    if (node) *node = p.node;
    if (creation) *creation = p.creation;
    if (text) *text = "<0." + std::to_string(p.num) + "." + std::to_string(p.serial) + ">";
    return beamPidId(p.num, p.serial);
}

void BeamTermReader::skip() {
    if (ei_skip_term(m_buf, &m_index) < 0) bad("a term");
}

bool BeamTermReader::isAtom(const char* name) const {
    int i = m_index;
    char a[MAXATOMLEN_UTF8];
    erlang_char_encoding enc{};
    return ei_decode_atom_as(m_buf, &i, a, sizeof a, ERLANG_UTF8, &enc, nullptr) >= 0 && std::string(a) == name;
}

} // namespace canopy::beam
