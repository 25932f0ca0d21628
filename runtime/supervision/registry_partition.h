#pragma once
#include "runtime/gen_server.h"
#include "runtime/supervision/registry_state.h"
#include <memory>

namespace canopy::supervision {

/// Internal: Registry.Partition: traps exits, is linked to every process registered in it, and
/// removes a process's entries (asynchronously) when it exits. Starts with an empty partition.
class RegistryPartition : public GenServer {
public:
    RegistryPartition(std::shared_ptr<RegistryState> state, int index) : m_state(std::move(state)), m_index(index) {}
    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Registry.Partition"; }

private:
    std::shared_ptr<RegistryState> m_state;
    int m_index;
};

} // namespace canopy::supervision
