#pragma once
#include "runtime/message.h"
#include <cstddef>
#include <vector>

namespace canopy {

/// The messages a process set aside during a selective receive or a call, oldest first (runtime
/// internal; owns them). A vector with a moving front: nothing is allocated until something is set
/// aside (std::deque allocates on construction), taking from the front is O(1), and the taken part
/// is reclaimed once it outweighs the rest.
class MessageStash {
public:
    MessageStash() = default;
    MessageStash(const MessageStash&) = delete;
    MessageStash& operator=(const MessageStash&) = delete;
    ~MessageStash() {
        for (std::size_t i = m_head; i < m_items.size(); ++i) delete m_items[i];
    }

    bool empty() const { return m_head == m_items.size(); }
    std::size_t size() const { return m_items.size() - m_head; }
    /// The i-th oldest.
    MessageNode* operator[](std::size_t i) const { return m_items[m_head + i]; }
    MessageNode* front() const { return m_items[m_head]; }
    void push_back(MessageNode* n) { m_items.push_back(n); }
    /// Takes the oldest out (the caller owns it).
    MessageNode* takeFront() {
        MessageNode* n = m_items[m_head++];
        if (m_head == m_items.size()) {
            m_items.clear();
            m_head = 0;
        } else if (m_head > 32 && m_head * 2 > m_items.size()) {
            m_items.erase(m_items.begin(), m_items.begin() + std::ptrdiff_t(m_head));
            m_head = 0;
        }
        return n;
    }
    /// Takes the i-th oldest out (the caller owns it).
    MessageNode* take(std::size_t i) {
        if (i == 0) return takeFront();
        MessageNode* n = m_items[m_head + i];
        m_items.erase(m_items.begin() + std::ptrdiff_t(m_head + i));
        return n;
    }
    /// Deletes the messages `drop(node)` selects, keeping the others in order; returns how many.
    template <class F> std::size_t dropIf(F&& drop) {
        std::size_t w = m_head, dropped = 0;
        for (std::size_t r = m_head; r < m_items.size(); ++r) {
            if (drop(m_items[r])) {
                delete m_items[r];
                ++dropped;
            } else {
                m_items[w++] = m_items[r];
            }
        }
        m_items.resize(w);
        return dropped;
    }

private:
    std::vector<MessageNode*> m_items;
    std::size_t m_head = 0;
};

} // namespace canopy
