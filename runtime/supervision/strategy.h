#pragma once
#include <string_view>

namespace canopy {

/// A supervisor's restart strategy. Default: OneForOne. (simple_one_for_one: use DynamicSupervisor.)
enum class Strategy : unsigned char {
    OneForOne,  ///< only the failed child is restarted
    OneForAll,  ///< all other children are terminated (reverse order), then all are started again
    RestForOne, ///< the children started after the failed one are terminated, then it and they restart
};

/// `one_for_one`, `one_for_all` or `rest_for_one`.
inline std::string_view toString(Strategy s) {
    switch (s) {
    case Strategy::OneForAll: return "one_for_all";
    case Strategy::RestForOne: return "rest_for_one";
    default: return "one_for_one";
    }
}

} // namespace canopy
