#pragma once
#include <string_view>

namespace canopy::introspection {

/// True for an abnormal exit in OTP's sense (a crash): any reason but `normal`, `shutdown` and
/// `{shutdown, _}`. An unknown ("") reason is not counted as abnormal.
inline bool isAbnormalExit(std::string_view reason) {
    return !(reason.empty() || reason == "normal" || reason == "shutdown" || reason.starts_with("{shutdown"));
}

} // namespace canopy::introspection
