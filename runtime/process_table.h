#pragma once
#include "runtime/flat_id_map.h"
#include "runtime/pid.h"
#include "runtime/process_counters.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

namespace canopy {

class Process;

/// Every live process by id, sharded so spawns and exits on different cores rarely meet, and
/// walkable while the system runs (runtime internal).
class ProcessTable {
public:
    static constexpr std::size_t ShardCount = 64;
    /// Adds a live process (the table holds one reference until remove()).
    void insert(Process* p);
    /// Removes an exiting process; returns whether it was there.
    bool remove(std::uint64_t id);
    /// The live process with that id, as a Pid (empty when none).
    Pid find(std::uint64_t id) const;
    /// Calls fn for a snapshot of the live pids of each shard in turn (no lock held during fn).
    void forEach(const std::function<void(const Pid&)>& fn) const;
    /// The same snapshot, a shard's pids at a time (lets the caller prefetch ahead).
    void forEachBatch(const std::function<void(std::span<const Pid>)>& fn) const;
    /// Calls fn with the counters of every live process, read shard by shard under the shard's lock
    /// (no process lock, no reference counting) and handed out after the lock is released.
    void forEachCounters(const std::function<void(const ProcessCounters&)>& fn) const;
    std::size_t size() const { return std::size_t(m_count.load(std::memory_order_relaxed)); }
    /// Takes every remaining process out (runtime shutdown).
    std::vector<Pid> drainAll();

private:
    struct alignas(64) Shard {
        mutable std::mutex mutex;
        FlatIdMap<Process*> map;
    };
    Shard& shardOf(std::uint64_t id) { return m_shards[id % ShardCount]; }
    const Shard& shardOf(std::uint64_t id) const { return m_shards[id % ShardCount]; }
    std::array<Shard, ShardCount> m_shards;
    std::atomic<std::int64_t> m_count{0};
};

} // namespace canopy
