#include "examples/todo/todo_system.h"
#include "examples/common/child_specs.h"
#include "examples/todo/todo_cache.h"
#include "examples/todo/todo_database_worker.h"
#include "examples/todo/todo_driver.h"
#include "examples/todo/todo_process_registry.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <filesystem>
#include <unistd.h>

namespace canopy::demo {

namespace {
constexpr int kDefaultPoolSize = 3;
constexpr std::int64_t kServerIdleMs = 5000;
} // namespace

TodoSystem::TodoSystem() : m_stats(std::make_shared<TodoStats>()) {}

TodoSystem::~TodoSystem() { stop(); }

std::vector<DemoCounter> TodoSystem::counters() const {
    const TodoStats& s = *m_stats;
    auto v = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    return {{"servers_started", v(s.serverStarts)},    {"servers_idled_out", v(s.serverIdleStops)},
            {"entries_added", v(s.entriesAdded)},      {"entries_updated", v(s.entriesUpdated)},
            {"entries_deleted", v(s.entriesDeleted)},  {"list_reads", v(s.reads)},
            {"db_reads", v(s.dbReads)},                {"db_writes", v(s.dbWrites)},
            {"failed_requests", v(s.failedRequests)},  {"registry_starts", v(s.registryStarts)},
            {"db_worker_starts", v(s.dbWorkerStarts)}, {"cache_starts", v(s.cacheStarts)}};
}

StartResult TodoSystem::startTree(Runtime& rt, const DemoConfig& config) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (config.dataDir.empty()) {
        m_dataDir = (fs::temp_directory_path(ec) / ("canopy-todo-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(reinterpret_cast<std::uintptr_t>(this))))
                        .string();
        m_ownsDataDir = true;
    } else {
        m_dataDir = config.dataDir;
    }
    fs::create_directories(m_dataDir, ec);
    if (!fs::is_directory(m_dataDir))
        return StartResult::failed(ExitReason::error("{data_dir_unusable,\"" + m_dataDir + "\"}"));

    const int pool = config.size > 0 ? config.size : kDefaultPoolSize;
    auto stats = m_stats;
    const std::string dir = m_dataDir;

    // Registry starts count through their own counter so the test can see restarts.
    auto registryStarts = std::shared_ptr<std::atomic<std::uint64_t>>(stats, &stats->registryStarts);

    SupervisorSpec poolSpec;
    poolSpec.flags = {.strategy = Strategy::OneForOne, .maxRestarts = 10, .maxSeconds = 5};
    for (int i = 1; i <= pool; ++i)
        poolSpec.children.push_back(namedWorker("Todo.DatabaseWorker." + std::to_string(i), "",
                                                [i, dir, stats] { return std::make_unique<TodoDatabaseWorker>(i, dir, stats); }));

    SupervisorSpec systemSpec;
    systemSpec.flags = {.strategy = Strategy::OneForOne, .maxRestarts = 10, .maxSeconds = 5};
    systemSpec.children.push_back(namedSupervisor("Todo.PoolSupervisor", std::move(poolSpec)));
    systemSpec.children.push_back(namedDynamicSupervisor("Todo.ServerSupervisor", DynamicSupervisorOptions{}));
    systemSpec.children.push_back(namedWorker(TodoCache::kName, TodoCache::kName, [pool, stats] {
        return std::make_unique<TodoCache>(pool, kServerIdleMs, stats);
    }));

    SupervisorSpec rootSpec;
    rootSpec.flags = {.strategy = Strategy::RestForOne, .maxRestarts = 5, .maxSeconds = 5};
    rootSpec.children.push_back(namedWorker(TodoProcessRegistry::kName, TodoProcessRegistry::kName,
                                            [registryStarts] { return std::make_unique<TodoProcessRegistry>(registryStarts); }));
    rootSpec.children.push_back(namedSupervisor("Todo.SystemSupervisor", std::move(systemSpec)));
    return Supervisor::start(rt, std::move(rootSpec), rootName());
}

Pid TodoSystem::startDriver(Runtime& rt, const DemoConfig& config) {
    return TodoDriver::start(rt, config.driverIntervalMs > 0 ? config.driverIntervalMs : 20, config.seed, m_stats);
}

void TodoSystem::afterStop() {
    if (m_ownsDataDir && !m_dataDir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_dataDir, ec);
        m_ownsDataDir = false;
    }
}

} // namespace canopy::demo
