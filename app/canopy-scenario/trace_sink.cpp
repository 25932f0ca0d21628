#include "app/canopy-scenario/trace_sink.h"
#include <string>

namespace canopy {

void TraceSink::onEvent(const RuntimeEvent& event) noexcept {
    try {
        switch (event.type) {
        case RuntimeEventType::Exit: onExit(event); break;
        case RuntimeEventType::ChildTerminated: onReport(event, "child_terminated"); break;
        case RuntimeEventType::StartError: onReport(event, "start_error"); break;
        case RuntimeEventType::SupervisorGaveUp: onReport(event, "shutdown"); break;
        case RuntimeEventType::ShutdownError: onReport(event, "shutdown_error"); break;
        default: break;
        }
    } catch (...) {
        // A sink never throws into the runtime.
    }
}

void TraceSink::onExit(const RuntimeEvent& event) {
    ScenarioTrace::Kind kind;
    if (!m_trace->known(event.pid, &kind) || !m_trace->unwatch(event.pid))
        return;
    const ExitReason reason = event.reason ? *event.reason : ExitReason::normal();
    if (kind == ScenarioTrace::Kind::Worker) {
        // A worker's terminate records its own stop; only an untrappable kill skips it.
        if (reason.kind() != ExitReason::Kind::Killed)
            return;
        m_trace->event("stop", m_trace->pathOf(event.pid), reason);
        return;
    }
    m_trace->event("sup_stop", m_trace->pathOf(event.pid), reason);
}

void TraceSink::onReport(const RuntimeEvent& event, const char* context) {
    // Child reports carry the supervisor as peer (the subject pid is the child); a give-up names the
    // supervisor as pid and the offending child as peer. Tolerate a report with no peer.
    const bool gaveUp = event.type == RuntimeEventType::SupervisorGaveUp;
    const std::uint64_t supPid = gaveUp || !event.peer ? event.pid : event.peer;
    const std::uint64_t childPid = gaveUp ? event.peer : event.pid;
    const std::string supPath = m_trace->pathOf(supPid);
    std::string child;
    if (!event.text.empty())
        child = supPath + "/" + std::string(event.text);
    else if (childPid && childPid != supPid)
        child = m_trace->pathOf(childPid);
    else
        child = "?";
    std::string reason;
    if (event.type == RuntimeEventType::SupervisorGaveUp)
        reason = "reached_max_restart_intensity";
    else
        reason = event.reason ? ScenarioTrace::reasonText(*event.reason) : std::string("?");
    m_trace->report(context, supPath, child, reason);
}

} // namespace canopy
