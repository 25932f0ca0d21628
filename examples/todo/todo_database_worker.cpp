#include "examples/todo/todo_database_worker.h"
#include "examples/todo/todo_process_registry.h"
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace canopy::demo {

TodoDatabaseWorker::TodoDatabaseWorker(int index, std::string dataDir, std::shared_ptr<TodoStats> stats)
    : m_index(index), m_dataDir(std::move(dataDir)), m_stats(std::move(stats)) {}

InitResult TodoDatabaseWorker::init(Context& ctx) {
    m_stats->dbWorkerStarts.fetch_add(1, std::memory_order_relaxed);
    TodoProcessRegistry::registerSelf(ctx, registryKey(m_index));
    return InitResult::ok();
}

std::string TodoDatabaseWorker::fileFor(const std::string& list) const {
    std::string safe;
    for (char c : list)
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return (std::filesystem::path(m_dataDir) / (safe + ".todo")).string();
}

ServerResult TodoDatabaseWorker::handleCall(Context&, Message& request, const From&) {
    std::vector<TodoEntry> entries;
    if (auto* g = request.tryAs<Get>()) {
        m_stats->dbReads.fetch_add(1, std::memory_order_relaxed);
        std::ifstream in(fileFor(g->list));
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            TodoEntry e;
            std::string id;
            if (!std::getline(fields, id, '\t') || !std::getline(fields, e.date, '\t') || !std::getline(fields, e.title))
                continue;
            e.id = std::atoi(id.c_str());
            entries.push_back(std::move(e));
        }
    }
    return ServerResult::replyWith(std::move(entries));
}

ServerResult TodoDatabaseWorker::handleCast(Context&, Message& request) {
    if (auto* s = request.tryAs<Store>()) {
        std::string path = fileFor(s->list);
        std::string tmp = path + ".tmp" + std::to_string(m_index);
        {
            std::ofstream out(tmp, std::ios::trunc);
            for (const TodoEntry& e : s->entries)
                out << e.id << '\t' << e.date << '\t' << e.title << '\n';
        }
        std::error_code ec;
        std::filesystem::rename(tmp, path, ec);
        m_stats->dbWrites.fetch_add(1, std::memory_order_relaxed);
    }
    return ServerResult::noreply();
}

} // namespace canopy::demo
