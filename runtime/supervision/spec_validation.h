#pragma once
#include "runtime/exit_reason.h"
#include "runtime/supervision/auto_shutdown.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/supervisor_flags.h"
#include <optional>
#include <vector>

namespace canopy::supervision {

/// Internal: OTP's check_childspec/2: nullopt if valid, else the error term (`missing_id`,
/// `missing_start`, `{invalid_shutdown,X}`, `{bad_combination,[...]}`).
std::optional<ExitReason> checkChildSpec(const ChildSpec& spec, AutoShutdown autoShutdown);
/// OTP's check_startspec/2 over a whole list (adds `{duplicate_child_name,Id}`).
std::optional<ExitReason> checkStartSpec(const std::vector<ChildSpec>& specs, AutoShutdown autoShutdown);
/// OTP's check_flags/1 (`{invalid_intensity,X}`, `{invalid_period,X}`).
std::optional<ExitReason> checkFlags(const SupervisorFlags& flags);
/// Elixir DynamicSupervisor's validate_child/1 (shutdown must be > 0, infinity or brutal_kill).
std::optional<ExitReason> checkDynamicChild(const ChildSpec& spec);

} // namespace canopy::supervision
