#include "runtime/tracer_table.h"

namespace canopy {

std::uint32_t TracerTable::indexOf(const Pid& tracer) {
    std::lock_guard g(m_mutex);
    for (std::size_t i = 0; i < m_owned.size(); ++i)
        if (m_owned[i] == tracer) return std::uint32_t(i + 1);
    if (m_owned.size() + 1 >= Capacity) return 0;
    m_owned.push_back(tracer);
    const auto index = std::uint32_t(m_owned.size());
    m_slots[index].store(tracer.process(), std::memory_order_release);
    return index;
}

} // namespace canopy
