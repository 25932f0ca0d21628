#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::beam {

/// Reads one term in the external format (as erl_interface receives it) front to back; every
/// method throws BeamError when the term does not have the expected shape.
class BeamTermReader {
public:
    /// Reads `buf` from `index` (after the version byte when `versioned`).
    BeamTermReader(const char* buf, int size, int index = 0, bool versioned = true);
    /// The external-format type tag of the next item (ERL_*_EXT).
    int type() const;
    /// A tuple header; returns its arity.
    int tuple();
    /// A list header (proper list or []); returns its length (the tail [] must be read with nil()).
    int list();
    /// The tail of a proper list.
    void nil();
    /// An atom's text.
    std::string atom();
    /// A binary's bytes as text.
    std::string binary();
    /// An integer (small, large or a bignum that fits in 64 bits).
    std::int64_t integer();
    /// A pid as Canopy's 64-bit id (serial << 32 | number) and its text `<0.N.S>`; optionally its
    /// node name and creation (to send the pid back).
    std::uint64_t pid(std::string* text = nullptr, std::string* node = nullptr, unsigned* creation = nullptr);
    /// Skips the next item whatever it is.
    void skip();
    /// True when the next item is the atom `name`.
    bool isAtom(const char* name) const;
    /// The read position (for a second reader).
    int index() const { return m_index; }

private:
    const char* m_buf;
    int m_size;
    int m_index;
};

/// The 64-bit id Canopy uses for a BEAM pid (serial << 32 | number).
inline std::uint64_t beamPidId(unsigned number, unsigned serial) {
    return (std::uint64_t(serial) << 32) | number;
}

} // namespace canopy::beam
