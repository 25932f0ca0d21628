#pragma once
#include "runtime/flat_id_map.h"
#include "runtime/small_vector.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace canopy {

/// Entries kept in the order they were added, with O(1) lookup and removal by a non-zero 64-bit
/// key once the list grows past a few entries (runtime internal: a process's links and monitors).
/// `KeyOf{}(entry)` gives an entry's key; a default-constructed entry (key 0) is a hole. Removed
/// entries leave a hole that is compacted away when holes outnumber live entries.
template <class T, class KeyOf> class IndexedList {
public:
    /// Adds an entry; false (nothing added) if its key is already there.
    bool add(T entry) {
        const std::uint64_t key = KeyOf{}(entry);
        if (m_index) {
            if (!m_index->tryInsert(key, std::uint32_t(m_items.size()))) return false;
        } else if (contains(key)) {
            return false;
        }
        m_items.push_back(std::move(entry));
        ++m_live;
        if (!m_index && m_items.size() > SmallSize) buildIndex();
        return true;
    }
    /// Removes the entry with this key into *out (when given); false if it was not there.
    bool remove(std::uint64_t key, T* out = nullptr) {
        std::size_t at = m_items.size();
        if (m_index) {
            std::uint32_t pos = 0;
            if (!m_index->erase(key, &pos)) return false;
            at = pos;
        } else {
            for (std::size_t i = 0; i < m_items.size(); ++i)
                if (KeyOf{}(m_items[i]) == key) {
                    at = i;
                    break;
                }
            if (at == m_items.size()) return false;
        }
        if (out) *out = std::move(m_items[at]);
        m_items[at] = T{};
        --m_live;
        if (!m_index) compact();
        else if (m_live * 2 < m_items.size()) compact();
        return true;
    }
    /// The entry with this key, or nullptr.
    const T* find(std::uint64_t key) const {
        if (key == 0) return nullptr;
        if (m_index) {
            const std::uint32_t* pos = m_index->find(key);
            return pos ? &m_items[*pos] : nullptr;
        }
        for (const T& e : m_items)
            if (KeyOf{}(e) == key) return &e;
        return nullptr;
    }
    bool contains(std::uint64_t key) const { return find(key) != nullptr; }
    std::size_t size() const { return m_live; }
    bool empty() const { return m_live == 0; }
    /// Calls fn(entry) for each entry in order.
    template <class F> void forEach(F&& fn) const {
        for (const T& e : m_items)
            if (KeyOf{}(e) != 0) fn(e);
    }
    /// Takes every entry out, in order (one entry: no allocation).
    SmallVector<T> takeAll() {
        m_index.reset();
        compact();
        SmallVector<T> out = std::move(m_items);
        m_live = 0;
        return out;
    }
    /// Bytes held beyond the object itself (memory estimates).
    std::size_t heapBytes() const {
        return (m_items.capacity() > 1 ? m_items.capacity() * sizeof(T) : 0) +
               (m_index ? m_index->heapBytes() + sizeof(*m_index) : 0);
    }

private:
    static constexpr std::size_t SmallSize = 8;
    void buildIndex() {
        m_index = std::make_unique<FlatIdMap<std::uint32_t>>();
        for (std::size_t i = 0; i < m_items.size(); ++i)
            if (const std::uint64_t k = KeyOf{}(m_items[i])) m_index->insert(k, std::uint32_t(i));
    }
    void compact() {
        // The index is rebuilt rather than updated entry by entry: that also clears its tombstones
        // (the removals that made the holes), so it rarely needs a rehash of its own.
        if (m_index) m_index->resetFor(m_live);
        std::size_t w = 0;
        for (std::size_t r = 0; r < m_items.size(); ++r) {
            const std::uint64_t k = KeyOf{}(m_items[r]);
            if (k == 0) continue;
            if (w != r) m_items[w] = std::move(m_items[r]);
            if (m_index) m_index->insert(k, std::uint32_t(w));
            ++w;
        }
        m_items.resize(w);
    }

    SmallVector<T> m_items; // the first entry inline: one link costs no allocation
    std::unique_ptr<FlatIdMap<std::uint32_t>> m_index;
    std::uint32_t m_live = 0;
};

} // namespace canopy
