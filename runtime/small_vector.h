#pragma once
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace canopy {

/// A vector that keeps its first element inline (runtime internal): most processes have at most
/// one link (their parent or supervisor), which then costs no allocation. Grows like std::vector
/// past that. Only what IndexedList needs: push_back, indexing, iteration, shrinking resize, clear.
template <class T> class SmallVector {
public:
    SmallVector() = default;
    SmallVector(const SmallVector&) = delete;
    SmallVector& operator=(const SmallVector&) = delete;
    SmallVector(SmallVector&& o) noexcept : m_size(o.m_size), m_cap(o.m_cap) {
        if (o.m_heap) {
            m_heap = std::exchange(o.m_heap, nullptr);
        } else if (o.m_size == 1) {
            new (inlineSlot()) T(std::move(*o.inlineSlot()));
            o.inlineSlot()->~T();
        }
        o.m_size = 0;
        o.m_cap = 1;
    }
    SmallVector& operator=(SmallVector&& o) noexcept {
        if (this != &o) {
            release();
            new (this) SmallVector(std::move(o));
        }
        return *this;
    }
    ~SmallVector() { release(); }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::size_t capacity() const { return m_cap; }
    T& operator[](std::size_t i) { return data()[i]; }
    const T& operator[](std::size_t i) const { return data()[i]; }
    T* begin() { return data(); }
    T* end() { return data() + m_size; }
    const T* begin() const { return data(); }
    const T* end() const { return data() + m_size; }

    void push_back(T v) {
        if (m_size == m_cap) grow();
        new (data() + m_size) T(std::move(v));
        ++m_size;
    }
    /// Shrinks to n elements (n <= size()).
    void resize(std::size_t n) {
        while (m_size > n) data()[--m_size].~T();
    }
    void clear() { resize(0); }
    /// Frees a heap buffer when at most one element is left (back to the inline element).
    void shrinkToFit() {
        if (!m_heap || m_size > 1) return;
        T* old = m_heap;
        m_heap = nullptr;
        if (m_size == 1) {
            new (inlineSlot()) T(std::move(old[0]));
            old[0].~T();
        }
        ::operator delete(old);
        m_cap = 1;
    }

private:
    T* data() { return m_heap ? m_heap : inlineSlot(); }
    const T* data() const { return m_heap ? m_heap : const_cast<SmallVector*>(this)->inlineSlot(); }
    T* inlineSlot() { return std::launder(reinterpret_cast<T*>(m_inline)); }
    void grow() {
        const std::uint32_t cap = m_cap * 2;
        T* fresh = static_cast<T*>(::operator new(sizeof(T) * cap));
        T* old = data();
        for (std::uint32_t i = 0; i < m_size; ++i) {
            new (fresh + i) T(std::move(old[i]));
            old[i].~T();
        }
        if (m_heap) ::operator delete(m_heap);
        m_heap = fresh;
        m_cap = cap;
    }
    void release() {
        clear();
        if (m_heap) ::operator delete(m_heap);
        m_heap = nullptr;
        m_cap = 1;
    }

    T* m_heap = nullptr;
    std::uint32_t m_size = 0;
    std::uint32_t m_cap = 1;
    alignas(T) unsigned char m_inline[sizeof(T)];
};

} // namespace canopy
