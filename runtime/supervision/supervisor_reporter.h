#pragma once
#include "runtime/context.h"
#include "runtime/exit_reason.h"
#include "runtime/runtime_event.h"
#include "runtime/supervision/restart_intensity.h"
#include <cstdint>
#include <string_view>

namespace canopy::supervision {

/// Internal: turns supervisor reports (child_terminated, start_error, shutdown, shutdown_error) and
/// progress reports into RuntimeEvents for the runtime's event sink (no-op without a sink).
class SupervisorReporter {
public:
    SupervisorReporter(std::string_view strategy, const RestartIntensity* intensity)
        : m_strategy(strategy), m_intensity(intensity) {}
    /// Emits one event: child = subject pid (0 = undefined), id = child id.
    void report(Context& ctx, RuntimeEventType type, std::uint64_t child, std::string_view id,
                const ExitReason* reason = nullptr) const;

private:
    std::string_view m_strategy;
    const RestartIntensity* m_intensity;
};

} // namespace canopy::supervision
