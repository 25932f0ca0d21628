#include "examples/todo/todo_server.h"
#include "examples/todo/todo_database.h"
#include "examples/todo/todo_process_registry.h"

namespace canopy::demo {

namespace {
/// handle_continue: load the list from the database.
struct LoadList {};
} // namespace

TodoServer::TodoServer(std::string list, int poolSize, std::int64_t idleMs, std::shared_ptr<TodoStats> stats)
    : m_list(std::move(list)), m_poolSize(poolSize), m_idleMs(idleMs), m_stats(std::move(stats)) {}

InitResult TodoServer::init(Context& ctx) {
    m_stats->serverStarts.fetch_add(1, std::memory_order_relaxed);
    TodoProcessRegistry::registerSelf(ctx, registryKey(m_list));
    return InitResult::continueWith(Message::of(LoadList{}));
}

ServerResult TodoServer::idle(ServerResult r) const { return std::move(r).withTimeout(m_idleMs); }

ServerResult TodoServer::handleContinue(Context& ctx, Message& cont) {
    if (cont.is<LoadList>()) {
        // The reply arrives before any queued request is handled (the call waits selectively).
        TodoDatabase::get(ctx, m_list, m_poolSize, [this](Context& c, std::optional<std::vector<TodoEntry>> entries) {
            if (!entries) {
                // No database right now: give up; the cache starts a fresh server on the next request.
                c.exit(ExitReason::error("database_unavailable"));
                return;
            }
            for (TodoEntry& e : *entries) {
                m_nextId = std::max(m_nextId, e.id + 1);
                m_entries[e.id] = std::move(e);
            }
        });
    }
    return idle(ServerResult::noreply());
}

void TodoServer::persist(Context& ctx) {
    std::vector<TodoEntry> all;
    all.reserve(m_entries.size());
    for (const auto& [id, e] : m_entries)
        all.push_back(e);
    TodoDatabase::store(ctx, m_list, m_poolSize, std::move(all));
}

ServerResult TodoServer::handleCall(Context& ctx, Message& request, const From&) {
    if (auto* a = request.tryAs<AddEntry>()) {
        int id = m_nextId++;
        m_entries[id] = TodoEntry{id, std::move(a->date), std::move(a->title)};
        m_stats->entriesAdded.fetch_add(1, std::memory_order_relaxed);
        persist(ctx);
        return idle(ServerResult::replyWith(id));
    }
    if (auto* u = request.tryAs<UpdateEntry>()) {
        auto it = m_entries.find(u->id);
        bool found = it != m_entries.end();
        if (found) {
            it->second.title = std::move(u->title);
            m_stats->entriesUpdated.fetch_add(1, std::memory_order_relaxed);
            persist(ctx);
        }
        return idle(ServerResult::replyWith(found));
    }
    if (auto* d = request.tryAs<DeleteEntry>()) {
        bool found = m_entries.erase(d->id) > 0;
        if (found) {
            m_stats->entriesDeleted.fetch_add(1, std::memory_order_relaxed);
            persist(ctx);
        }
        return idle(ServerResult::replyWith(found));
    }
    if (request.is<Entries>()) {
        m_stats->reads.fetch_add(1, std::memory_order_relaxed);
        std::vector<TodoEntry> all;
        for (const auto& [id, e] : m_entries)
            all.push_back(e);
        return idle(ServerResult::replyWith(std::move(all)));
    }
    return idle(ServerResult::replyWith(false));
}

ServerResult TodoServer::handleInfo(Context&, Message& msg) {
    if (msg.is<ServerTimeout>()) {
        m_stats->serverIdleStops.fetch_add(1, std::memory_order_relaxed);
        return ServerResult::stop(ExitReason::normal());
    }
    if (msg.is<TodoProcessRegistry::RegistryConflict>())
        return ServerResult::stop(ExitReason::normal());
    return idle(ServerResult::noreply());
}

} // namespace canopy::demo
