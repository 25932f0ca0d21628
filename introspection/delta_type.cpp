#include "introspection/delta_type.h"
#include <array>

namespace canopy::introspection {

namespace {
constexpr std::array<std::string_view, 14> kNames = {
    "spawn",        "exit",          "link",           "unlink",      "monitor",
    "demonitor",    "name_registered", "name_unregistered", "child_started", "child_terminated",
    "child_restarted", "start_error", "supervisor_gave_up", "shutdown_error"};
}

std::string_view toString(DeltaType t) {
    auto i = static_cast<std::size_t>(t);
    return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<DeltaType> parseDeltaType(std::string_view s) {
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == s) return static_cast<DeltaType>(i);
    return std::nullopt;
}

} // namespace canopy::introspection
