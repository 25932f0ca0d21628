#include "introspection/probe/counter_diff.h"
#include <algorithm>

namespace canopy::introspection {

namespace {
constexpr std::size_t kScanAhead = 8;
std::size_t slotOf(std::uint64_t pid, std::size_t mask) {
    return std::size_t((pid * 0x9E3779B97F4A7C15ull) >> 24) & mask;
}
} // namespace

void CounterDiff::begin() {
    m_next.clear();
    m_next.reserve(m_prev.size() + 64);
    m_cursor = 0;
    m_indexBuilt = false;
    m_lookups = 0;
    m_matchedHandledSum = 0;
}

void CounterDiff::buildIndex() {
    std::size_t cap = 16;
    while (cap < m_prev.size() * 2) cap *= 2;
    m_index.assign(cap, {0, 0});
    const std::size_t mask = cap - 1;
    for (std::size_t i = 0; i < m_prev.size(); ++i) {
        std::size_t s = slotOf(m_prev[i].pid, mask);
        while (m_index[s].second != 0) s = (s + 1) & mask;
        m_index[s] = {m_prev[i].pid, std::uint32_t(i + 1)};
    }
    m_indexBuilt = true;
}

const CounterDiff::Entry* CounterDiff::find(std::uint64_t pid) {
    const std::size_t n = m_prev.size();
    if (m_cursor < n && m_prev[m_cursor].pid == pid) return &m_prev[m_cursor++];
    for (std::size_t k = m_cursor + 1; k < std::min(n, m_cursor + 1 + kScanAhead); ++k)
        if (m_prev[k].pid == pid) {
            m_cursor = k + 1;
            return &m_prev[k];
        }
    if (n == 0) return nullptr;
    ++m_lookups;
    if (!m_indexBuilt) buildIndex();
    const std::size_t mask = m_index.size() - 1;
    for (std::size_t s = slotOf(pid, mask); m_index[s].second != 0; s = (s + 1) & mask)
        if (m_index[s].first == pid) {
            m_cursor = m_index[s].second; // resynchronise just behind the match
            return &m_prev[m_index[s].second - 1];
        }
    return nullptr;
}

bool CounterDiff::visit(std::uint64_t pid, std::int64_t mailbox, std::uint64_t handled, Change& out) {
    const Entry* prev = find(pid);
    m_next.push_back({pid, mailbox, handled});
    if (prev) m_matchedHandledSum += prev->handled;
    if (!prev) {
        if (mailbox == 0 && handled == 0) return false;
        out = {mailbox, handled};
        return true;
    }
    const bool mbChanged = prev->mailbox != mailbox;
    const bool hChanged = prev->handled != handled;
    if (!mbChanged && !hChanged) return false;
    out = {mbChanged ? mailbox : -1, hChanged ? handled : UINT64_MAX};
    return true;
}

void CounterDiff::end() {
    m_departedHandled = m_prevHandledSum - m_matchedHandledSum;
    m_prev.swap(m_next);
    m_prevHandledSum = 0;
    for (const Entry& e : m_prev) m_prevHandledSum += e.handled;
}

} // namespace canopy::introspection
