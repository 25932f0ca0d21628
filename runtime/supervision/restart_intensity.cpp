#include "runtime/supervision/restart_intensity.h"

namespace canopy {

namespace {
/// floor(ms / 1000) also for negative clock values.
std::int64_t floorSeconds(std::int64_t ms) { return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000); }
} // namespace

bool RestartIntensity::add(std::int64_t nowMs) {
    const std::int64_t now = floorSeconds(nowMs);
    const std::size_t cap = static_cast<std::size_t>(m_max < 0 ? 0 : m_max) + 1;
    if (m_ring.size() != cap) {
        m_ring.assign(cap, 0);
        m_head = 0;
        m_size = 0;
    }
    // Drop stamps that left the window (R < Now - Period). Stamps are in non-decreasing order.
    while (m_size > 0 && m_ring[m_head] < now - m_period) {
        m_head = (m_head + 1) % cap;
        --m_size;
    }
    if (m_size == cap) { // only if a caller ignored a previous `false`
        m_head = (m_head + 1) % cap;
        --m_size;
    }
    m_ring[(m_head + m_size) % cap] = now;
    ++m_size;
    return m_size <= static_cast<std::size_t>(m_max < 0 ? 0 : m_max);
}

} // namespace canopy
