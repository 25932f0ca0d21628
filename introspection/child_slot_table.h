#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace canopy::introspection {

/// One supervisor's child slots by child id, for SessionModel: an open-addressing index over a
/// dense vector of entries (no node allocated per slot: a keyframe creates 100k of them per seek).
/// The caller hashes each id once (`hash`); entries are never removed. A reference to a value is
/// valid until the next add().
template <class V>
class ChildSlotTable {
public:
    /// One slot: its child id, the id's hash, and what the model keeps about it.
    struct Entry {
        std::string id;
        std::size_t hash = 0;
        V value{};
    };

    /// The slot `id`, or nullptr.
    V* find(std::string_view id, std::size_t hash) {
        if (m_entries.empty()) return nullptr;
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const std::uint32_t at = m_index[i];
            if (at == 0) return nullptr;
            Entry& e = m_entries[at - 1];
            if (e.hash == hash && e.id == id) return &e.value;
        }
    }
    const V* find(std::string_view id, std::size_t hash) const { return const_cast<ChildSlotTable*>(this)->find(id, hash); }
    /// The slot `id`, added with V's defaults when missing.
    V& findOrAdd(std::string_view id, std::size_t hash) {
        if ((m_entries.size() + 1) * 2 > m_index.size()) grow(m_entries.size() + 1);
        std::size_t i = hash & m_mask;
        for (;; i = (i + 1) & m_mask) {
            const std::uint32_t at = m_index[i];
            if (at == 0) break;
            Entry& e = m_entries[at - 1];
            if (e.hash == hash && e.id == id) return e.value;
        }
        Entry& e = m_entries.emplace_back(); // built in place: no temporary strings moved
        e.id.assign(id.data(), id.size());
        e.hash = hash;
        m_index[i] = std::uint32_t(m_entries.size());
        return e.value;
    }
    /// Room for `n` slots without growing.
    void reserve(std::size_t n) {
        m_entries.reserve(n);
        if (n * 2 > m_index.size()) grow(n);
    }
    std::size_t size() const { return m_entries.size(); }
    /// Every slot, in the order they were added.
    const std::vector<Entry>& entries() const { return m_entries; }

private:
    /// An index with room for `n` entries at half load, rebuilt from the stored hashes.
    void grow(std::size_t n) {
        std::size_t cap = 16;
        while (cap < n * 2) cap *= 2;
        if (cap <= m_index.size()) return;
        m_index.assign(cap, 0);
        m_mask = cap - 1;
        for (std::size_t k = 0; k < m_entries.size(); ++k) {
            std::size_t i = m_entries[k].hash & m_mask;
            while (m_index[i] != 0) i = (i + 1) & m_mask;
            m_index[i] = std::uint32_t(k + 1);
        }
    }

    std::vector<Entry> m_entries;
    /// Entry number + 1 per position; 0 = empty. A power of two long, at most half full.
    std::vector<std::uint32_t> m_index;
    std::size_t m_mask = 0;
};

} // namespace canopy::introspection
