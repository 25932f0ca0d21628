#pragma once
#include "examples/todo/todo_entry.h"
#include "examples/todo/todo_stats.h"
#include "runtime/gen_server.h"
#include <memory>
#include <string>
#include <vector>

namespace canopy::demo {

/// Todo.DatabaseWorker: one of the pool's workers; persists whole lists as files in the data
/// directory (one file per list, written atomically). Registers as "database_worker:N".
class TodoDatabaseWorker : public GenServer {
public:
    /// Call: the entries stored for list (empty when none) as std::vector<TodoEntry>.
    struct Get {
        std::string list;
    };
    /// Cast: replace the stored entries of list.
    struct Store {
        std::string list;
        std::vector<TodoEntry> entries;
    };

    /// index is 1-based; dataDir must exist.
    TodoDatabaseWorker(int index, std::string dataDir, std::shared_ptr<TodoStats> stats);

    /// The registry key of worker index.
    static std::string registryKey(int index) { return "database_worker:" + std::to_string(index); }

    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleCast(Context& ctx, Message& request) override;
    std::string initialCall() const override { return "Todo.DatabaseWorker:init/1"; }

private:
    std::string fileFor(const std::string& list) const;

    int m_index;
    std::string m_dataDir;
    std::shared_ptr<TodoStats> m_stats;
};

} // namespace canopy::demo
