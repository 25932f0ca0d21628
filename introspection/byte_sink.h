#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace canopy::introspection {

/// Appends to a byte vector through a write position: grows it in large steps and writes through a
/// pointer (no per-byte capacity check); trims the vector to what was written when destroyed.
class ByteSink {
public:
    /// Writes after the current end of `bytes`.
    explicit ByteSink(std::vector<std::uint8_t>& bytes) : m_bytes(bytes), m_pos(bytes.size()) {}
    ~ByteSink() { m_bytes.resize(m_pos); }
    ByteSink(const ByteSink&) = delete;
    ByteSink& operator=(const ByteSink&) = delete;

    /// Room for `n` bytes at the write position (valid until the next call); the position moves past it.
    std::uint8_t* room(std::size_t n) {
        if (m_bytes.size() < m_pos + n) m_bytes.resize(std::max(m_pos + n, m_bytes.size() + m_bytes.size() / 2 + 4096));
        std::uint8_t* p = m_bytes.data() + m_pos;
        m_pos += n;
        return p;
    }
    /// Appends one byte.
    void put(std::uint8_t c) { *room(1) = c; }
    /// Appends `n` bytes.
    void put(const void* d, std::size_t n) {
        if (n) std::memcpy(room(n), d, n);
    }
    /// Bytes of the vector in use (its size once the sink is gone).
    std::size_t position() const { return m_pos; }
    /// The byte at `at` (< position()), for patching a header written earlier.
    std::uint8_t* at(std::size_t at) { return m_bytes.data() + at; }
    /// Inserts `n` zero bytes at `at` (< position()), moving what follows.
    void insertAt(std::size_t at, std::size_t n) {
        room(n);
        std::memmove(m_bytes.data() + at + n, m_bytes.data() + at, m_pos - n - at);
        std::memset(m_bytes.data() + at, 0, n);
    }

private:
    std::vector<std::uint8_t>& m_bytes;
    std::size_t m_pos;
};

} // namespace canopy::introspection
