#pragma once
#include <string_view>

namespace canopy {

/// auto_shutdown (OTP 24+): stop the supervisor when significant children exit on their own.
/// Default: Never.
enum class AutoShutdown : unsigned char {
    Never,          ///< significant children are not allowed (bad_combination)
    AnySignificant, ///< stop with `shutdown` when any significant child exits and is not restarted
    AllSignificant, ///< stop with `shutdown` once no significant child is left running
};

/// `never`, `any_significant` or `all_significant`.
inline std::string_view toString(AutoShutdown a) {
    switch (a) {
    case AutoShutdown::AnySignificant: return "any_significant";
    case AutoShutdown::AllSignificant: return "all_significant";
    default: return "never";
    }
}

} // namespace canopy
