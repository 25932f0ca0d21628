#pragma once
#include <cstdint>
#include <string_view>

namespace canopy {

/// What a process is in the supervision tree.
enum class ProcessKind : std::uint8_t { Worker, Supervisor, DynamicSupervisor };

/// `worker`, `supervisor` or `dynamic_supervisor`.
inline std::string_view toString(ProcessKind k) {
    switch (k) {
    case ProcessKind::Supervisor: return "supervisor";
    case ProcessKind::DynamicSupervisor: return "dynamic_supervisor";
    default: return "worker";
    }
}

} // namespace canopy
