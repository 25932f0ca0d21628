#pragma once
#include "examples/common/demo_system.h"
#include "examples/todo/todo_stats.h"
#include <memory>
#include <string>

namespace canopy::demo {

/// The to-do system of Elixir in Action:
/// Todo.Supervisor (rest_for_one) → Todo.ProcessRegistry, Todo.SystemSupervisor (one_for_one) →
/// [Todo.PoolSupervisor → N Todo.DatabaseWorker, Todo.ServerSupervisor (dynamic) → Todo.Server per
/// list, Todo.Cache]; driven by Todo.Driver.
class TodoSystem : public DemoSystem {
public:
    TodoSystem();
    ~TodoSystem() override;

    std::string name() const override { return "todo"; }
    std::string rootName() const override { return "Todo.Supervisor"; }
    std::vector<DemoCounter> counters() const override;
    /// The directory lists are persisted to (valid after start).
    const std::string& dataDir() const { return m_dataDir; }

protected:
    StartResult startTree(Runtime& rt, const DemoConfig& config) override;
    Pid startDriver(Runtime& rt, const DemoConfig& config) override;
    void afterStop() override;

private:
    std::shared_ptr<TodoStats> m_stats;
    std::string m_dataDir;
    bool m_ownsDataDir = false;
};

} // namespace canopy::demo
