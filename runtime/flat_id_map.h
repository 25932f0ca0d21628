#pragma once
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <utility>

namespace canopy {

/// Open-addressing hash map from a non-zero 64-bit id to a small value (runtime internal): no
/// allocation per entry, linear probing, tombstones on erase, rehash when full. Not thread-safe.
template <class V> class FlatIdMap {
public:
    FlatIdMap() = default;
    FlatIdMap(const FlatIdMap&) = delete;
    FlatIdMap& operator=(const FlatIdMap&) = delete;
    FlatIdMap(FlatIdMap&& o) noexcept { swap(o); }
    FlatIdMap& operator=(FlatIdMap&& o) noexcept {
        FlatIdMap tmp(std::move(o));
        swap(tmp);
        return *this;
    }

    /// Inserts key, or overwrites its value.
    void insert(std::uint64_t key, V value) { put(key, std::move(value), true); }
    /// Inserts key unless it is there already (one probe sequence); false if it was there.
    bool tryInsert(std::uint64_t key, V value) { return put(key, std::move(value), false); }
    /// The value stored for key, or nullptr.
    V* find(std::uint64_t key) {
        if (!m_cap) return nullptr;
        for (std::size_t i = slot(key);; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == key) return &m_slots[i].value;
            if (m_slots[i].key == Empty) return nullptr;
        }
    }
    const V* find(std::uint64_t key) const { return const_cast<FlatIdMap*>(this)->find(key); }
    /// Removes key; its value goes to *out when given. False if it was not there.
    bool erase(std::uint64_t key, V* out = nullptr) {
        if (!m_cap) return false;
        for (std::size_t i = slot(key);; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == key) {
                if (out) *out = std::move(m_slots[i].value);
                m_slots[i].key = Tomb;
                m_slots[i].value = V{};
                --m_size;
                ++m_tombs;
                return true;
            }
            if (m_slots[i].key == Empty) return false;
        }
    }
    /// Empties the map and sizes it for `n` entries (no tombstones left).
    void resetFor(std::size_t n) {
        std::size_t cap = 16;
        while (cap < n * 4 + 16) cap *= 2;
        m_slots = std::make_unique<Slot[]>(cap);
        m_cap = cap;
        m_size = m_tombs = 0;
    }
    std::size_t size() const { return m_size; }
    /// Bytes of the slot array.
    std::size_t heapBytes() const { return m_cap * sizeof(Slot); }
    template <class F> void forEach(F&& f) const {
        for (std::size_t i = 0; i < m_cap; ++i)
            if (m_slots[i].key != Empty && m_slots[i].key != Tomb) f(m_slots[i].key, m_slots[i].value);
    }
    void clear() {
        m_slots.reset();
        m_cap = m_size = m_tombs = 0;
    }

private:
    static constexpr std::uint64_t Empty = 0;
    static constexpr std::uint64_t Tomb = ~std::uint64_t(0);
    struct Slot {
        std::uint64_t key = Empty;
        V value{};
    };
    bool put(std::uint64_t key, V&& value, bool overwrite) {
        // Full (live entries and tombstones): rehash, doubling while the live entries alone would
        // fill more than a quarter, so a table that churns (monitors added and removed by the
        // thousand) rehashes once per ~2 × its size erases, not once per ~half its size.
        if ((m_size + m_tombs + 1) * 4 > m_cap * 3) rehash(m_size * 4 + 16 > m_cap ? m_cap * 2 : m_cap);
        std::size_t i = slot(key);
        std::size_t tomb = m_cap;
        for (;; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == key) {
                if (!overwrite) return false;
                m_slots[i].value = std::move(value);
                return true;
            }
            if (m_slots[i].key == Tomb && tomb == m_cap) tomb = i;
            if (m_slots[i].key == Empty) break;
        }
        if (tomb != m_cap) {
            i = tomb;
            --m_tombs;
        }
        m_slots[i].key = key;
        m_slots[i].value = std::move(value);
        ++m_size;
        return true;
    }
    std::size_t slot(std::uint64_t key) const {
        return std::size_t((key * 0x9E3779B97F4A7C15ull) >> 20) & (m_cap - 1);
    }
    void rehash(std::size_t cap) {
        if (cap < 16) cap = 16;
        std::unique_ptr<Slot[]> old = std::move(m_slots);
        std::size_t oldCap = m_cap;
        m_slots = std::make_unique<Slot[]>(cap);
        m_cap = cap;
        m_size = m_tombs = 0;
        for (std::size_t i = 0; i < oldCap; ++i)
            if (old[i].key != Empty && old[i].key != Tomb) insert(old[i].key, std::move(old[i].value));
    }
    void swap(FlatIdMap& o) noexcept {
        std::swap(m_slots, o.m_slots);
        std::swap(m_cap, o.m_cap);
        std::swap(m_size, o.m_size);
        std::swap(m_tombs, o.m_tombs);
    }

    std::unique_ptr<Slot[]> m_slots;
    std::size_t m_cap = 0;
    std::size_t m_size = 0;
    std::size_t m_tombs = 0;
};

} // namespace canopy
