#include "runtime/process_table.h"
#include "runtime/process.h"

namespace canopy {

void ProcessTable::insert(Process* p) {
    Shard& s = shardOf(p->id);
    std::lock_guard g(s.mutex);
    s.map.insert(p->id, p);
    m_count.fetch_add(1, std::memory_order_relaxed);
}

bool ProcessTable::remove(std::uint64_t id) {
    Shard& s = shardOf(id);
    std::lock_guard g(s.mutex);
    if (!s.map.erase(id)) return false;
    m_count.fetch_sub(1, std::memory_order_relaxed);
    return true;
}

Pid ProcessTable::find(std::uint64_t id) const {
    const Shard& s = shardOf(id);
    std::lock_guard g(s.mutex);
    Process* p = s.map.find(id);
    return p ? Pid(static_cast<ProcessAnchor*>(p)) : Pid();
}

void ProcessTable::forEach(const std::function<void(const Pid&)>& fn) const {
    std::vector<Pid> batch;
    for (const Shard& s : m_shards) {
        batch.clear();
        {
            std::lock_guard g(s.mutex);
            batch.reserve(s.map.size());
            s.map.forEach([&](std::uint64_t, Process* p) { batch.emplace_back(static_cast<ProcessAnchor*>(p)); });
        }
        for (const Pid& pid : batch) fn(pid);
    }
}

std::vector<Pid> ProcessTable::drainAll() {
    std::vector<Pid> out;
    for (Shard& s : m_shards) {
        std::lock_guard g(s.mutex);
        s.map.forEach([&](std::uint64_t, Process* p) { out.emplace_back(static_cast<ProcessAnchor*>(p), true); });
        m_count.fetch_sub(std::int64_t(s.map.size()), std::memory_order_relaxed);
        s.map.clear();
    }
    return out;
}

} // namespace canopy
