#pragma once
#include <string_view>

namespace canopy {

/// Whether a child is a worker or a supervisor (decides the default shutdown). Default: Worker.
enum class ChildType : unsigned char { Worker, Supervisor };

/// `worker` or `supervisor`.
inline std::string_view toString(ChildType t) { return t == ChildType::Supervisor ? "supervisor" : "worker"; }

} // namespace canopy
