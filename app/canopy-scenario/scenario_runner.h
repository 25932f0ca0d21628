#pragma once
#include "app/canopy-scenario/scenario_trace.h"
#include "app/canopy-scenario/trace_sink.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_result.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/dynamic_supervisor_options.h"
#include "runtime/supervision/supervisor_spec.h"
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace canopy {

/// Runs one conformance scenario (../shared/conformance/README.md) on a manual-mode Runtime and
/// returns its trace as JSON lines, in the oracle's key order. Each run uses a fresh runtime.
class ScenarioRunner {
public:
    /// A runner for the parsed scenario (`tree` + `steps`). threads = 0: a manual-mode runtime
    /// (deterministic, the default); otherwise a threaded runtime with that many workers, settling
    /// by waitIdle() and sleeping for real (a stress check: independent events may reorder).
    explicit ScenarioRunner(nlohmann::json scenario, unsigned threads = 0);
    ~ScenarioRunner();

    /// Builds the tree, runs every step (settling after each), appends the `final` event.
    std::vector<std::string> run();

    /// Milliseconds the manual clock moves after each step (the oracle sleeps this long).
    static constexpr std::int64_t kSettleMs = 60;

private:
    std::optional<SupervisorSpec> supervisorSpec(const nlohmann::json& node, const std::string& path);
    ChildSpec childSpec(const nlohmann::json& node, const std::string& parentPath);
    ChildSpec workerSpec(const nlohmann::json& node, const std::string& path);
    static DynamicSupervisorOptions dynamicOptions(const nlohmann::json& node);
    void registerKinds(const nlohmann::json& node, const std::string& path);

    void runStep(const nlohmann::json& step, int n);
    void settle();
    Pid lookup(const std::string& path) const;
    bool isDynamic(const std::string& path) const;
    nlohmann::ordered_json finalNode(const std::string& path);
    static std::string resultText(const ChildResult& r, bool dynamicStart);

    nlohmann::json m_scenario;
    ScenarioTrace m_trace;
    TraceSink m_sink;
    std::map<std::string, ScenarioTrace::Kind> m_kinds;
    unsigned m_threads = 0;
    std::unique_ptr<Runtime> m_rt;
};

} // namespace canopy
