#pragma once
#include "examples/todo/todo_stats.h"
#include "runtime/gen_server.h"
#include <memory>
#include <string>

namespace canopy::demo {

/// Todo.Cache: finds the server of a list through Todo.ProcessRegistry or starts one under
/// Todo.ServerSupervisor. Requests are served one at a time, so a list never gets two servers.
class TodoCache : public GenServer {
public:
    /// Call: the Pid of list's Todo.Server (an empty Pid when it could not be started).
    struct ServerProcess {
        std::string list;
    };

    /// The registered name of the cache.
    static constexpr const char* kName = "Todo.Cache";

    TodoCache(int poolSize, std::int64_t serverIdleMs, std::shared_ptr<TodoStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    std::string initialCall() const override { return "Todo.Cache:init/1"; }

private:
    int m_poolSize;
    std::int64_t m_serverIdleMs;
    std::shared_ptr<TodoStats> m_stats;
};

} // namespace canopy::demo
