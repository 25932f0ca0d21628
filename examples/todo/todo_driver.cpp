#include "examples/todo/todo_driver.h"
#include "examples/todo/todo_cache.h"
#include "examples/todo/todo_server.h"
#include "runtime/runtime.h"
#include <array>

namespace canopy::demo {

namespace {
/// The driver's timer message.
struct DriverTick {};

constexpr std::array<const char*, 12> kOwners{"alice", "bob",  "carol", "dave",  "erin", "frank",
                                              "grace", "heidi", "ivan", "judy", "mallory", "oscar"};
constexpr std::array<const char*, 8> kTasks{"buy milk", "dentist", "call mum", "pay rent",
                                            "fix bike", "write report", "book flights", "water plants"};
} // namespace

TodoDriver::TodoDriver(std::int64_t intervalMs, std::uint64_t seed, std::shared_ptr<TodoStats> stats)
    : m_intervalMs(intervalMs), m_random(seed, 0x70D0), m_stats(std::move(stats)) {}

Pid TodoDriver::start(Runtime& rt, std::int64_t intervalMs, std::uint64_t seed, std::shared_ptr<TodoStats> stats) {
    ServerOptions o;
    o.name = "Todo.Driver";
    StartResult r = rt.startServer(std::make_unique<TodoDriver>(intervalMs, seed, std::move(stats)), o);
    return r.isOk() ? r.pid : Pid();
}

InitResult TodoDriver::init(Context& ctx) {
    scheduleNext(ctx);
    return InitResult::ok();
}

void TodoDriver::scheduleNext(Context& ctx) { ctx.sendAfter(m_intervalMs, ctx.self(), Message::of(DriverTick{})); }

ServerResult TodoDriver::handleInfo(Context& ctx, Message& msg) {
    if (msg.is<DriverTick>())
        step(ctx);
    return ServerResult::noreply();
}

void TodoDriver::step(Context& ctx) {
    ++m_steps;
    // A window of 8 of the 36 list names that moves by one name every 200 steps.
    std::uint64_t base = m_steps / 200;
    std::uint64_t index = (base + static_cast<std::uint64_t>(m_random.between(0, 7))) % 36;
    std::string list = std::string(kOwners[index % kOwners.size()]) + "-" + std::to_string(index / kOwners.size() + 1);
    Pid cache = ctx.whereis(TodoCache::kName);
    if (!cache) {
        m_stats->failedRequests.fetch_add(1, std::memory_order_relaxed);
        scheduleNext(ctx);
        return;
    }
    ctx.tryCall(cache, Message::of(TodoCache::ServerProcess{list}), 3000, [this](Context& c, CallOutcome o) {
        if (o.ok() && o.reply.is<Pid>() && o.reply.as<Pid>()) {
            edit(c, o.reply.as<Pid>());
            return;
        }
        m_stats->failedRequests.fetch_add(1, std::memory_order_relaxed);
        scheduleNext(c);
    });
}

void TodoDriver::edit(Context& ctx, const Pid& server) {
    ctx.tryCall(server, Message::of(TodoServer::Entries{}), 3000, [this, server](Context& c, CallOutcome o) {
        if (!o.ok() || !o.reply.is<std::vector<TodoEntry>>()) {
            m_stats->failedRequests.fetch_add(1, std::memory_order_relaxed);
            scheduleNext(c);
            return;
        }
        const auto& entries = o.reply.as<std::vector<TodoEntry>>();
        Message request;
        double roll = m_random.unit();
        if (!entries.empty() && (entries.size() >= 12 || roll < 0.15)) {
            const TodoEntry& e = entries[static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(entries.size()) - 1))];
            request = Message::of(TodoServer::DeleteEntry{e.id});
        } else if (!entries.empty() && roll < 0.4) {
            const TodoEntry& e = entries[static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(entries.size()) - 1))];
            request = Message::of(TodoServer::UpdateEntry{e.id, std::string(kTasks[static_cast<std::size_t>(m_random.between(0, kTasks.size() - 1))]) + " (again)"});
        } else {
            int day = static_cast<int>(m_random.between(1, 28));
            request = Message::of(TodoServer::AddEntry{"2026-12-" + std::string(day < 10 ? "0" : "") + std::to_string(day),
                                                       kTasks[static_cast<std::size_t>(m_random.between(0, kTasks.size() - 1))]});
        }
        c.tryCall(server, std::move(request), 3000, [this](Context& c2, CallOutcome done) {
            if (!done.ok())
                m_stats->failedRequests.fetch_add(1, std::memory_order_relaxed);
            scheduleNext(c2);
        });
    });
}

} // namespace canopy::demo
