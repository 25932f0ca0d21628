#include "runtime/supervision/supervisor_reporter.h"
#include "runtime/runtime.h"

namespace canopy::supervision {

void SupervisorReporter::report(Context& ctx, RuntimeEventType type, std::uint64_t child, std::string_view id,
                                const ExitReason* reason) const {
    Runtime& rt = ctx.runtime();
    if (!rt.hasEventSink())
        return;
    RuntimeEvent ev;
    ev.type = type;
    ev.pid = child;
    ev.peer = ctx.self().id();
    ev.text = id;
    ev.reason = reason;
    ev.strategy = m_strategy;
    if (m_intensity) {
        ev.restartsInWindow = m_intensity->inWindow();
        ev.maxRestarts = m_intensity->maxRestarts();
        ev.maxSeconds = m_intensity->maxSeconds();
    }
    rt.emit(ev);
}

} // namespace canopy::supervision
