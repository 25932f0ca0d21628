#include "runtime/supervision/task_process.h"
#include "runtime/context.h"
#include "runtime/supervision/task.h"

namespace canopy::supervision {

void TaskProcess::onStart(Context& ctx) {
    if (!m_run)
        return; // async: wait for the owner's go
    m_run(ctx);
    ctx.exit(ExitReason::normal());
}

void TaskProcess::onMessage(Context& ctx, Message& msg) {
    auto* go = msg.tryAs<TaskGo>();
    if (!go || !m_compute)
        return;
    std::any result = m_compute(ctx);
    ctx.send(go->owner, TaskReply{go->ref, std::move(result)});
    ctx.exit(ExitReason::normal());
}

} // namespace canopy::supervision
