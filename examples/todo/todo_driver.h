#pragma once
#include "examples/common/demo_random.h"
#include "examples/todo/todo_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Todo.Driver (outside the tree): the users of the todo system. Every intervalMs it picks a list
/// from a slowly drifting window of names (so servers of forgotten lists idle out and new ones
/// start), asks Todo.Cache for its server, reads it, then adds, retitles or deletes an entry.
class TodoDriver : public GenServer {
public:
    TodoDriver(std::int64_t intervalMs, std::uint64_t seed, std::shared_ptr<TodoStats> stats);

    /// Starts it from a plain thread, registered as "Todo.Driver".
    static Pid start(Runtime& rt, std::int64_t intervalMs, std::uint64_t seed, std::shared_ptr<TodoStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Todo.Driver:init/1"; }

private:
    void step(Context& ctx);
    void edit(Context& ctx, const Pid& server);
    void scheduleNext(Context& ctx);

    std::int64_t m_intervalMs;
    DemoRandom m_random;
    std::shared_ptr<TodoStats> m_stats;
    std::uint64_t m_steps = 0;
};

} // namespace canopy::demo
