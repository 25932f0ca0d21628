#include "runtime/supervision/restart_intensity.h"

namespace canopy {

namespace {
/// floor(ms / 1000) also for negative clock values.
std::int64_t floorSeconds(std::int64_t ms) { return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000); }
} // namespace

bool RestartIntensity::add(std::int64_t nowMs) {
    const std::int64_t now = floorSeconds(nowMs);
    const std::size_t limit = static_cast<std::size_t>(m_max < 0 ? 0 : m_max);
    const std::size_t cap = limit + 1; // the ring never needs more than maxRestarts + 1 stamps
    // Drop stamps that left the window (R < Now - Period). Stamps are in non-decreasing order.
    while (m_size > 0 && m_ring[m_head] < now - m_period) {
        m_head = (m_head + 1) % m_ring.size();
        --m_size;
    }
    if (m_size == cap) { // only if a caller ignored a previous `false`
        m_head = (m_head + 1) % m_ring.size();
        --m_size;
    }
    if (m_size == m_ring.size()) {
        // Grow geometrically up to cap (amortised O(1); a huge intensity costs only what is used).
        std::vector<std::int64_t> grown;
        grown.reserve(std::min(cap, m_ring.empty() ? std::size_t(4) : m_ring.size() * 2));
        for (std::size_t i = 0; i < m_size; ++i)
            grown.push_back(m_ring[(m_head + i) % m_ring.size()]);
        grown.resize(grown.capacity());
        m_ring = std::move(grown);
        m_head = 0;
    }
    m_ring[(m_head + m_size) % m_ring.size()] = now;
    ++m_size;
    return m_size <= limit;
}

} // namespace canopy
