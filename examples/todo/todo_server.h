#pragma once
#include "examples/todo/todo_entry.h"
#include "examples/todo/todo_stats.h"
#include "runtime/gen_server.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace canopy::demo {

/// Todo.Server: the server of one to-do list (a temporary child of Todo.ServerSupervisor). Loads
/// the list from the database after init, stores it after each change, registers as
/// "todo_server:NAME" and stops (normal) after idleMs without requests.
class TodoServer : public GenServer {
public:
    /// Call: adds an entry; replies its id (int).
    struct AddEntry {
        std::string date;
        std::string title;
    };
    /// Call: retitles an entry; replies bool (false when the id is unknown).
    struct UpdateEntry {
        int id = 0;
        std::string title;
    };
    /// Call: deletes an entry; replies bool.
    struct DeleteEntry {
        int id = 0;
    };
    /// Call: replies the entries (std::vector<TodoEntry>).
    struct Entries {};

    TodoServer(std::string list, int poolSize, std::int64_t idleMs, std::shared_ptr<TodoStats> stats);

    /// The registry key of list's server.
    static std::string registryKey(const std::string& list) { return "todo_server:" + list; }

    InitResult init(Context& ctx) override;
    ServerResult handleContinue(Context& ctx, Message& cont) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Todo.Server:init/1"; }

private:
    ServerResult idle(ServerResult r) const;
    void persist(Context& ctx);

    std::string m_list;
    int m_poolSize;
    std::int64_t m_idleMs;
    std::shared_ptr<TodoStats> m_stats;
    std::map<int, TodoEntry> m_entries;
    int m_nextId = 1;
};

} // namespace canopy::demo
