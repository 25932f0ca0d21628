#include "runtime/process_table.h"
#include "runtime/process.h"

namespace canopy {

void ProcessTable::insert(Process* p) {
    Shard& s = shardOf(p->id);
    std::lock_guard g(s.mutex);
    s.map.emplace(p->id, p);
    m_count.fetch_add(1, std::memory_order_relaxed);
}

bool ProcessTable::remove(std::uint64_t id) {
    Shard& s = shardOf(id);
    std::lock_guard g(s.mutex);
    if (s.map.erase(id) == 0) return false;
    m_count.fetch_sub(1, std::memory_order_relaxed);
    return true;
}

Pid ProcessTable::find(std::uint64_t id) const {
    const Shard& s = shardOf(id);
    std::lock_guard g(s.mutex);
    auto it = s.map.find(id);
    return it == s.map.end() ? Pid() : Pid(static_cast<ProcessAnchor*>(it->second));
}

void ProcessTable::forEach(const std::function<void(const Pid&)>& fn) const {
    std::vector<Pid> batch;
    for (const Shard& s : m_shards) {
        batch.clear();
        {
            std::lock_guard g(s.mutex);
            batch.reserve(s.map.size());
            for (auto& [id, p] : s.map) batch.emplace_back(static_cast<ProcessAnchor*>(p));
        }
        for (const Pid& pid : batch) fn(pid);
    }
}

std::vector<Pid> ProcessTable::drainAll() {
    std::vector<Pid> out;
    for (Shard& s : m_shards) {
        std::lock_guard g(s.mutex);
        for (auto& [id, p] : s.map) out.emplace_back(static_cast<ProcessAnchor*>(p), /*adopt=*/true);
        m_count.fetch_sub(std::int64_t(s.map.size()), std::memory_order_relaxed);
        s.map.clear();
    }
    return out;
}

} // namespace canopy
