#pragma once
#include "runtime/pid.h"
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace canopy {

/// Local names (register / whereis / unregister) of one runtime (runtime internal).
class NameRegistry {
public:
    /// Registers name for pid; false if taken.
    bool add(const std::string& name, const Pid& pid);
    /// Removes name if it still belongs to pid.
    void remove(const std::string& name, std::uint64_t pid);
    /// The pid registered under name (empty if none).
    Pid find(std::string_view name) const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Pid> m_names;
};

} // namespace canopy
