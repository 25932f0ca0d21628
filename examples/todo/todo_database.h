#pragma once
#include "examples/todo/todo_entry.h"
#include "runtime/context.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace canopy::demo {

/// Todo.Database: not a process but the interface to the pool (as in Elixir in Action): a list
/// always goes to the same worker (hash of its name), found through Todo.ProcessRegistry.
class TodoDatabase {
public:
    /// The 1-based worker index serving list in a pool of poolSize.
    static int workerFor(const std::string& list, int poolSize);
    /// Reads list from process code; then gets nullopt when the worker or the registry is unavailable.
    static void get(Context& ctx, const std::string& list, int poolSize,
                    std::function<void(Context&, std::optional<std::vector<TodoEntry>>)> then);
    /// Stores list from process code (fire and forget once the worker is found).
    static void store(Context& ctx, const std::string& list, int poolSize, std::vector<TodoEntry> entries);
};

} // namespace canopy::demo
