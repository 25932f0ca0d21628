#pragma once
#include "app/canopy-demo/demo_options.h"

namespace canopy::app {

/// Runs canopy-demo: starts the runtime, the probe (when asked and built), the system and the chaos
/// process, then polls for SIGUSR1 (print the tree), SIGINT/SIGTERM and the duration, and shuts the
/// root supervisor down cleanly. Returns the process exit code.
class DemoRunner {
public:
    explicit DemoRunner(DemoOptions options) : m_options(std::move(options)) {}
    /// 0 after a clean shutdown, 1 when something could not start, 3 when the root supervisor gave up.
    int run();

private:
    DemoOptions m_options;
};

} // namespace canopy::app
