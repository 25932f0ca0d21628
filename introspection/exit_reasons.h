#pragma once
#include <string_view>

namespace canopy::introspection {

/// True for an exit OTP calls abnormal (a crash): anything but `normal`, `shutdown` and
/// `{shutdown, _}` (an empty reason — not known — is not a crash).
inline bool isAbnormalExit(std::string_view reason) {
    return !(reason.empty() || reason == "normal" || reason == "shutdown" || reason.rfind("{shutdown", 0) == 0);
}

} // namespace canopy::introspection
