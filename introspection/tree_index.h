#pragma once
#include "introspection/process_record.h"
#include <cstdint>
#include <iterator>
#include <map>
#include <unordered_map>
#include <vector>

namespace canopy::introspection {

/// Children by parent and the roots of a set of process records, each list in sibling order
/// (startOrder, then pid). Built in O(N) from a record map whose children are already in order
/// (O(N log N) otherwise), or kept up to date one change at a time by the SessionModel: a new last
/// child and a leaving child cost O(log siblings) (amortised), so a 100k-process tree is walked and
/// updated in linear time.
class TreeIndex {
public:
    /// One sibling: its order key and pid (pid 0 marks a removed entry, skipped by iteration).
    struct Entry {
        std::uint64_t order = 0;
        std::uint64_t pid = 0;
        friend bool operator==(const Entry&, const Entry&) = default;
        friend bool operator<(const Entry& a, const Entry& b) {
            return a.order != b.order ? a.order < b.order : a.pid < b.pid;
        }
    };

    /// The siblings under one parent, in order. Removal leaves a hole that iteration skips (holes are
    /// squeezed out once they outnumber the live entries), so a herd's member leaving is O(log n).
    class Siblings {
    public:
        /// Forward iteration over live entries.
        class const_iterator {
        public:
            using iterator_category = std::forward_iterator_tag;
            using value_type = Entry;
            using difference_type = std::ptrdiff_t;
            using pointer = const Entry*;
            using reference = const Entry&;
            const_iterator() = default;
            const_iterator(const Entry* at, const Entry* end) : m_at(at), m_end(end) { skip(); }
            reference operator*() const { return *m_at; }
            pointer operator->() const { return m_at; }
            const_iterator& operator++() {
                ++m_at;
                skip();
                return *this;
            }
            const_iterator operator++(int) {
                auto old = *this;
                ++*this;
                return old;
            }
            friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_at == b.m_at; }

        private:
            void skip() {
                while (m_at != m_end && m_at->pid == 0) ++m_at;
            }
            const Entry* m_at = nullptr;
            const Entry* m_end = nullptr;
        };

        const_iterator begin() const { return {m_entries.data(), m_entries.data() + m_entries.size()}; }
        const_iterator end() const {
            const Entry* e = m_entries.data() + m_entries.size();
            return {e, e};
        }
        /// Live entries.
        std::size_t size() const { return m_entries.size() - m_holes; }
        bool empty() const { return size() == 0; }
        /// Adds `e` in order (no-op when present). O(1) at the end, O(n) elsewhere.
        void insert(Entry e);
        /// Removes `e` (no-op when absent). O(log n) amortised.
        void erase(Entry e);
        /// Appends without ordering; call sortIfNeeded() once done (bulk building).
        void append(Entry e) { m_entries.push_back(e); }
        void sortIfNeeded();

    private:
        std::vector<Entry> m_entries;
        std::size_t m_holes = 0;
    };
    using Records = std::map<std::uint64_t, ProcessRecord>;

    /// Forgets everything.
    void clear();
    /// Indexes every record of `records` (replaces the current index).
    void build(const Records& records);

    /// `record` was just inserted into `records`: files it under its parent (or the roots) and adopts
    /// the records that already named it as their parent (they stop being roots).
    void added(const ProcessRecord& record, const Records& records);
    /// The record of `pid` (with this parent and startOrder) was just erased from `records`: unfiles
    /// it; the records that named it as their parent become roots.
    void removed(std::uint64_t pid, std::uint64_t parent, std::uint64_t order, const Records& records);
    /// A record still in `records` is about to change its parent or startOrder: call detach() with the
    /// old values before the change and attach() with the record after it.
    void detach(std::uint64_t pid, std::uint64_t parent, std::uint64_t order, const Records& records);
    void attach(const ProcessRecord& record, const Records& records);

    /// Children of `pid` in sibling order (records whose parent is `pid`, itself excluded).
    const Siblings& children(std::uint64_t pid) const;
    /// Records whose parent is 0, themselves, or not in the records, in sibling order.
    const Siblings& roots() const { return m_roots; }

private:
    static bool isRoot(const ProcessRecord& r, const Records& records);
    void unfile(std::uint64_t pid, std::uint64_t parent, std::uint64_t order);

    std::unordered_map<std::uint64_t, Siblings> m_children;
    Siblings m_roots;
};

} // namespace canopy::introspection
