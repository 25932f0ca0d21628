#include "runtime/supervision/supervisor_reporter.h"
#include "runtime/runtime.h"
#include <utility>

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
    if (type == RuntimeEventType::SupervisorGaveUp)
        std::swap(ev.pid, ev.peer); // the subject is the supervisor; the peer the child one too many
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
