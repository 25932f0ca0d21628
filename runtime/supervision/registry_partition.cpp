#include "runtime/supervision/registry_partition.h"
#include "runtime/exit_message.h"

namespace canopy::supervision {

InitResult RegistryPartition::init(Context& ctx) {
    ctx.trapExit(true);
    m_state->clearPartition(m_index);
    std::lock_guard g(m_state->lock);
    m_state->partitions[static_cast<std::size_t>(m_index)] = ctx.self();
    return InitResult::ok();
}

ServerResult RegistryPartition::handleInfo(Context&, Message& msg) {
    if (auto* e = msg.tryAs<ExitMessage>())
        m_state->removeOwner(e->from);
    return ServerResult::noreply();
}

} // namespace canopy::supervision
