#pragma once
#include "runtime/pid.h"
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace canopy {

/// A process's links in the order they were made (exit signals go out in that order), with O(1)
/// membership and removal once it grows past a few entries (a supervisor links every child).
/// Removed entries leave a hole that is compacted away when holes outnumber live entries.
class LinkSet {
public:
    /// Adds a link; false if already there.
    bool add(const Pid& pid) {
        if (contains(pid.id())) return false;
        if (m_index) m_index->emplace(pid.id(), std::uint32_t(m_items.size()));
        m_items.push_back(pid);
        ++m_live;
        if (!m_index && m_items.size() > SmallSize) buildIndex();
        return true;
    }
    /// Removes a link; false if it was not there.
    bool remove(std::uint64_t id) {
        std::size_t at;
        if (m_index) {
            auto it = m_index->find(id);
            if (it == m_index->end()) return false;
            at = it->second;
            m_index->erase(it);
        } else {
            at = m_items.size();
            for (std::size_t i = 0; i < m_items.size(); ++i)
                if (m_items[i].valid() && m_items[i].id() == id) {
                    at = i;
                    break;
                }
            if (at == m_items.size()) return false;
        }
        m_items[at] = Pid();
        --m_live;
        if (m_items.size() > SmallSize && m_live * 2 < m_items.size()) compact();
        else if (!m_index) compact();
        return true;
    }
    bool contains(std::uint64_t id) const {
        if (m_index) return m_index->count(id) != 0;
        for (const Pid& p : m_items)
            if (p.valid() && p.id() == id) return true;
        return false;
    }
    std::size_t size() const { return m_live; }
    bool empty() const { return m_live == 0; }
    /// Calls fn(pid) for each link in order.
    template <class F> void forEach(F&& fn) const {
        for (const Pid& p : m_items)
            if (p.valid()) fn(p);
    }
    /// Takes every link out, in order.
    std::vector<Pid> takeAll() {
        std::vector<Pid> out;
        out.reserve(m_live);
        for (Pid& p : m_items)
            if (p.valid()) out.push_back(std::move(p));
        m_items.clear();
        m_index.reset();
        m_live = 0;
        return out;
    }
    /// Bytes held beyond the object itself (memory estimates).
    std::size_t heapBytes() const {
        return m_items.capacity() * sizeof(Pid) + (m_index ? m_index->size() * 32 : 0);
    }

private:
    static constexpr std::size_t SmallSize = 8;
    void buildIndex() {
        m_index = std::make_unique<std::unordered_map<std::uint64_t, std::uint32_t>>();
        for (std::size_t i = 0; i < m_items.size(); ++i)
            if (m_items[i].valid()) m_index->emplace(m_items[i].id(), std::uint32_t(i));
    }
    void compact() {
        std::size_t w = 0;
        for (std::size_t r = 0; r < m_items.size(); ++r)
            if (m_items[r].valid()) {
                if (w != r) m_items[w] = std::move(m_items[r]);
                if (m_index) (*m_index)[m_items[w].id()] = std::uint32_t(w);
                ++w;
            }
        m_items.resize(w);
    }

    std::vector<Pid> m_items;
    std::unique_ptr<std::unordered_map<std::uint64_t, std::uint32_t>> m_index;
    std::uint32_t m_live = 0;
};

} // namespace canopy
