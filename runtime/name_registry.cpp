#include "runtime/name_registry.h"

namespace canopy {

bool NameRegistry::add(const std::string& name, const Pid& pid) {
    std::lock_guard g(m_mutex);
    return m_names.emplace(name, pid).second;
}

void NameRegistry::remove(const std::string& name, std::uint64_t pid) {
    std::lock_guard g(m_mutex);
    auto it = m_names.find(name);
    if (it != m_names.end() && it->second.id() == pid) m_names.erase(it);
}

Pid NameRegistry::find(std::string_view name) const {
    std::lock_guard g(m_mutex);
    auto it = m_names.find(std::string(name));
    return it == m_names.end() ? Pid() : it->second;
}

} // namespace canopy
