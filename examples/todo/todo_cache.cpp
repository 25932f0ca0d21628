#include "examples/todo/todo_cache.h"
#include "examples/todo/todo_process_registry.h"
#include "examples/todo/todo_server.h"
#include "runtime/supervision/dynamic_supervisor.h"

namespace canopy::demo {

TodoCache::TodoCache(int poolSize, std::int64_t serverIdleMs, std::shared_ptr<TodoStats> stats)
    : m_poolSize(poolSize), m_serverIdleMs(serverIdleMs), m_stats(std::move(stats)) {}

InitResult TodoCache::init(Context&) {
    m_stats->cacheStarts.fetch_add(1, std::memory_order_relaxed);
    return InitResult::ok();
}

ServerResult TodoCache::handleCall(Context& ctx, Message& request, const From& from) {
    auto* req = request.tryAs<TodoCache::ServerProcess>();
    if (!req)
        return ServerResult::replyWith(Pid());
    std::string list = req->list;
    TodoProcessRegistry::whereIs(ctx, TodoServer::registryKey(list), [this, list, from](Context& c, Pid found) {
        if (found) {
            c.reply(from, Message::of(std::move(found)));
            return;
        }
        Pid sup = c.whereis("Todo.ServerSupervisor");
        if (!sup) {
            c.reply(from, Message::of(Pid()));
            return;
        }
        ChildSpec spec;
        spec.id = "Todo.Server";
        spec.restart = Restart::Temporary;
        int pool = m_poolSize;
        std::int64_t idleMs = m_serverIdleMs;
        auto stats = m_stats;
        spec.start = [list, pool, idleMs, stats](Context& sc) {
            return sc.startLink(std::make_unique<TodoServer>(list, pool, idleMs, stats), ChildSpec::startOptions());
        };
        DynamicSupervisor::startChild(
            c, sup, std::move(spec),
            [from](Context& c2, ChildResult r) {
                if (r.ok() || r.error == SupervisorError::AlreadyStarted)
                    c2.reply(from, Message::of(r.pid));
                else
                    c2.reply(from, Message::of(Pid()));
            },
            2000);
    });
    return ServerResult::noreply();
}

} // namespace canopy::demo
