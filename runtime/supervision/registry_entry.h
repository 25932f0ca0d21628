#pragma once
#include "runtime/pid.h"
#include <any>
#include <string>

namespace canopy {

/// One registry entry: `{key, pid, value}`.
struct RegistryEntry {
    std::string key;
    Pid pid;
    std::any value;
};

} // namespace canopy
