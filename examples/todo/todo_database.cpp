#include "examples/todo/todo_database.h"
#include "examples/todo/todo_database_worker.h"
#include "examples/todo/todo_process_registry.h"

namespace canopy::demo {

int TodoDatabase::workerFor(const std::string& list, int poolSize) {
    return static_cast<int>(std::hash<std::string>{}(list) % static_cast<std::size_t>(std::max(poolSize, 1))) + 1;
}

void TodoDatabase::get(Context& ctx, const std::string& list, int poolSize,
                       std::function<void(Context&, std::optional<std::vector<TodoEntry>>)> then) {
    TodoProcessRegistry::whereIs(
        ctx, TodoDatabaseWorker::registryKey(workerFor(list, poolSize)),
        [list, then = std::move(then)](Context& c, Pid worker) mutable {
            if (!worker) {
                then(c, std::nullopt);
                return;
            }
            c.tryCall(worker, Message::of(TodoDatabaseWorker::Get{list}), 2000,
                      [then = std::move(then)](Context& c2, CallOutcome o) {
                          if (o.ok() && o.reply.is<std::vector<TodoEntry>>())
                              then(c2, std::move(o.reply.as<std::vector<TodoEntry>>()));
                          else
                              then(c2, std::nullopt);
                      });
        });
}

void TodoDatabase::store(Context& ctx, const std::string& list, int poolSize, std::vector<TodoEntry> entries) {
    TodoProcessRegistry::whereIs(ctx, TodoDatabaseWorker::registryKey(workerFor(list, poolSize)),
                                 [list, entries = std::move(entries)](Context& c, Pid worker) mutable {
                                     if (worker)
                                         c.cast(worker, Message::of(TodoDatabaseWorker::Store{list, std::move(entries)}));
                                 });
}

} // namespace canopy::demo
