#pragma once
#include "runtime/supervision/registry_keys.h"
#include <string>
#include <vector>

namespace canopy {

/// Registry.start_link options (Elixir 1.14).
struct RegistryOptions {
    /// `keys:` (required in Elixir; default here: unique).
    RegistryKeys keys = RegistryKeys::Unique;
    /// `name:` (required): the registered name of the registry's supervisor and the handle of the API.
    std::string name;
    /// `partitions:` (default 1). Entries live in the partition of their owner (phash2(pid, N)).
    int partitions = 1;
    /// `listeners:`: registered names that get RegistryEvent on register/unregister (not on exits).
    std::vector<std::string> listeners;
};

} // namespace canopy
