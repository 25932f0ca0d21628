#include "runtime/supervision/spec_validation.h"
#include <unordered_set>

namespace canopy::supervision {

std::optional<ExitReason> checkChildSpec(const ChildSpec& spec, AutoShutdown autoShutdown) {
    if (spec.id.empty())
        return ExitReason::error("missing_id");
    if (!spec.start && !spec.startWithExtra)
        return ExitReason::error("missing_start");
    if (spec.significant && spec.restart == Restart::Permanent)
        return ExitReason::error("{bad_combination,[{restart,permanent},{significant,true}]}");
    if (spec.significant && autoShutdown == AutoShutdown::Never)
        return ExitReason::error("{bad_combination,[{auto_shutdown,never},{significant,true}]}");
    if (spec.shutdown && spec.shutdown->kind() == Shutdown::Kind::Timeout && spec.shutdown->ms() < 0)
        return ExitReason::error("{invalid_shutdown," + std::to_string(spec.shutdown->ms()) + "}");
    return std::nullopt;
}

std::optional<ExitReason> checkStartSpec(const std::vector<ChildSpec>& specs, AutoShutdown autoShutdown) {
    std::unordered_set<std::string> seen;
    for (const ChildSpec& s : specs) {
        if (auto e = checkChildSpec(s, autoShutdown))
            return e;
        if (!seen.insert(s.id).second)
            return ExitReason::error("{duplicate_child_name," + s.id + "}");
    }
    return std::nullopt;
}

std::optional<ExitReason> checkFlags(const SupervisorFlags& flags) {
    if (flags.maxRestarts < 0)
        return ExitReason::error("{invalid_intensity," + std::to_string(flags.maxRestarts) + "}");
    if (flags.maxSeconds <= 0)
        return ExitReason::error("{invalid_period," + std::to_string(flags.maxSeconds) + "}");
    return std::nullopt;
}

std::optional<ExitReason> checkDynamicChild(const ChildSpec& spec) {
    if (!spec.start && !spec.startWithExtra)
        return ExitReason::error("{invalid_mfa,undefined}");
    if (spec.shutdown && spec.shutdown->kind() == Shutdown::Kind::Timeout && spec.shutdown->ms() <= 0)
        return ExitReason::error("{invalid_shutdown," + std::to_string(spec.shutdown->ms()) + "}");
    return std::nullopt;
}

} // namespace canopy::supervision
