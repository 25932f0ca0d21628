#pragma once
#include "app/canopy-scenario/scenario_trace.h"
#include "runtime/event_sink.h"

namespace canopy {

/// Turns the runtime's events into trace lines: supervisor reports become `report` events, the
/// exit of a traced supervisor becomes `sup_stop`, and a traced worker that died `killed` without
/// running terminate gets its `stop` (what the oracle's monitor records).
class TraceSink final : public EventSink {
public:
    /// A sink writing into trace (which must outlive it).
    explicit TraceSink(ScenarioTrace* trace) : m_trace(trace) {}
    void onEvent(const RuntimeEvent& event) noexcept override;

private:
    void onExit(const RuntimeEvent& event);
    void onReport(const RuntimeEvent& event, const char* context);

    ScenarioTrace* m_trace;
};

} // namespace canopy
