#pragma once
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <utility>

namespace canopy {

/// Open-addressing hash map from a non-zero 64-bit id to a pointer (runtime internal): no allocation
/// per entry, linear probing, tombstones on erase, rehash when full. Not thread-safe.
template <class V> class FlatIdMap {
public:
    FlatIdMap() = default;
    FlatIdMap(const FlatIdMap&) = delete;
    FlatIdMap& operator=(const FlatIdMap&) = delete;

    void insert(std::uint64_t key, V* value) {
        if ((m_size + m_tombs + 1) * 4 > m_cap * 3) rehash(m_size * 2 + 16 > m_cap ? m_cap * 2 : m_cap);
        std::size_t i = slot(key);
        for (;; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == Empty || m_slots[i].key == Tomb) {
                if (m_slots[i].key == Tomb) --m_tombs;
                m_slots[i] = {key, value};
                ++m_size;
                return;
            }
            if (m_slots[i].key == key) {
                m_slots[i].value = value;
                return;
            }
        }
    }
    V* find(std::uint64_t key) const {
        if (!m_cap) return nullptr;
        for (std::size_t i = slot(key);; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == key) return m_slots[i].value;
            if (m_slots[i].key == Empty) return nullptr;
        }
    }
    bool erase(std::uint64_t key) {
        if (!m_cap) return false;
        for (std::size_t i = slot(key);; i = (i + 1) & (m_cap - 1)) {
            if (m_slots[i].key == key) {
                m_slots[i] = {Tomb, nullptr};
                --m_size;
                ++m_tombs;
                return true;
            }
            if (m_slots[i].key == Empty) return false;
        }
    }
    std::size_t size() const { return m_size; }
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
        V* value = nullptr;
    };
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
            if (old[i].key != Empty && old[i].key != Tomb) insert(old[i].key, old[i].value);
    }

    std::unique_ptr<Slot[]> m_slots;
    std::size_t m_cap = 0;
    std::size_t m_size = 0;
    std::size_t m_tombs = 0;
};

} // namespace canopy
