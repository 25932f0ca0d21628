#include "runtime/process_table.h"
#include "runtime/process.h"
#include <algorithm>

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
    Process* const* p = s.map.find(id);
    return p ? Pid(static_cast<ProcessAnchor*>(*p)) : Pid();
}

void ProcessTable::forEach(const std::function<void(const Pid&)>& fn) const {
    forEachBatch([&](std::span<const Pid> batch) {
        for (const Pid& pid : batch) fn(pid);
    });
}

void ProcessTable::forEachBatch(const std::function<void(std::span<const Pid>)>& fn) const {
    std::vector<Pid> batch;
    for (const Shard& s : m_shards) {
        batch.clear();
        {
            std::lock_guard g(s.mutex);
            batch.reserve(s.map.size());
            s.map.forEach([&](std::uint64_t, Process* p) { batch.emplace_back(static_cast<ProcessAnchor*>(p)); });
        }
        fn(batch);
    }
}

void ProcessTable::forEachCounters(const std::function<void(const ProcessCounters&)>& fn) const {
    std::vector<const Process*> procs;
    std::vector<ProcessCounters> batch;
    constexpr std::size_t kAhead = 8; // the walk is bound by cache misses: prefetch ahead
    for (const Shard& s : m_shards) {
        batch.clear();
        procs.clear();
        {
            std::lock_guard g(s.mutex);
            procs.reserve(s.map.size());
            batch.reserve(s.map.size());
            s.map.forEach([&](std::uint64_t, Process* p) { procs.push_back(p); });
            for (std::size_t i = 0; i < procs.size(); ++i) {
                if (i + kAhead < procs.size()) {
                    const char* ahead = reinterpret_cast<const char*>(procs[i + kAhead]);
                    for (int line = 0; line < 3; ++line) __builtin_prefetch(ahead + 64 * line);
                }
                const Process* p = procs[i];
                if (p->dead.load(std::memory_order_relaxed)) continue;
                batch.push_back({p->id, std::max<std::int64_t>(0, p->mailbox.length()), p->mailbox.popped(),
                                 p->status.load(std::memory_order_relaxed)});
            }
        }
        for (const ProcessCounters& c : batch) fn(c);
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
