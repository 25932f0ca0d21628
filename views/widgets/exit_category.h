#pragma once
#include <string>

namespace canopy::views {

/// How the tree canvas colours an exit: OTP's normal and shutdown exits are routine (grey), `killed`
/// is forced (orange), anything else is a crash (red). Unknown: the reason was not reported.
enum class ExitCategory : unsigned char { Normal, Shutdown, Killed, Abnormal, Unknown };

/// Number of ExitCategory values (for per-category counters).
inline constexpr int kExitCategories = 5;

/// The category of a printed exit reason: `normal`, `shutdown` / `{shutdown,...}`, `killed`, "" (unknown),
/// anything else abnormal.
inline ExitCategory exitCategoryOf(const std::string& reason) {
    if (reason.empty()) return ExitCategory::Unknown;
    if (reason == "normal") return ExitCategory::Normal;
    if (reason == "shutdown" || reason.rfind("{shutdown,", 0) == 0 || reason.rfind("{shutdown ,", 0) == 0)
        return ExitCategory::Shutdown;
    if (reason == "killed") return ExitCategory::Killed;
    return ExitCategory::Abnormal;
}

} // namespace canopy::views
