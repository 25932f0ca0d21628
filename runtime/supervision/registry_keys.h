#pragma once
#include <string_view>

namespace canopy {

/// A registry's key kind (Elixir's `keys:` option, required).
enum class RegistryKeys : unsigned char {
    Unique,    ///< one live process per key
    Duplicate, ///< any number of entries per key, also several from one process
};

/// `unique` or `duplicate`.
inline std::string_view toString(RegistryKeys k) { return k == RegistryKeys::Unique ? "unique" : "duplicate"; }

} // namespace canopy
