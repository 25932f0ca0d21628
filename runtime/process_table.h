#pragma once
#include "runtime/flat_id_map.h"
#include "runtime/pid.h"
#include "runtime/process_counters.h"
#include "runtime/spin_lock.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

namespace canopy {

class Process;

/// Every live process by id, walkable while the system runs (runtime internal).
///
/// Ids are handed out in increasing order, so the table indexes them directly: a radix tree
/// (4,096-way directories over pages of 4,096 slots; 2^48 ids, ~9 years at a million spawns a
/// second, beyond which a locked hash map takes over) — no hashing, and consecutive spawns fill
/// one page, so a spawn burst touches one cache line per 8 processes. Each page has its own spin
/// lock; a page whose ids have all come and gone is freed — after any walker that may still hold
/// it has left (a reader count; freeing is deferred while it is non-zero).
class ProcessTable {
public:
    static constexpr unsigned PageBits = 12;
    ProcessTable();
    ~ProcessTable();
    ProcessTable(const ProcessTable&) = delete;
    ProcessTable& operator=(const ProcessTable&) = delete;

    /// Adds a live process (the table holds one reference until remove()).
    void insert(Process* p);
    /// Removes an exiting process; returns whether it was there.
    bool remove(std::uint64_t id);
    /// Marks an id that was handed out but will never be inserted (a spawn that failed), so its
    /// page can be freed once the rest of it is gone.
    void forget(std::uint64_t id);
    /// The live process with that id, as a Pid (empty when none).
    Pid find(std::uint64_t id) const;
    /// Calls fn for a snapshot of the live pids, a page at a time (no lock held during fn).
    void forEach(const std::function<void(const Pid&)>& fn) const;
    /// The same snapshot, a page's pids at a time (lets the caller prefetch ahead).
    void forEachBatch(const std::function<void(std::span<const Pid>)>& fn) const;
    /// Calls fn with the counters of every live process, read page by page under the page's lock
    /// (no process lock, no reference counting) and handed out after the lock is released.
    void forEachCounters(const std::function<void(const ProcessCounters&)>& fn) const;
    /// Live processes (the pages' counts summed).
    std::size_t size() const;
    /// Takes every remaining process out (runtime shutdown).
    std::vector<Pid> drainAll();

private:
    static constexpr std::uint32_t PageSize = 1u << PageBits;
    static constexpr unsigned DirBits = 12, DirLevels = 3;
    static constexpr std::uint64_t IdLimit = std::uint64_t(1) << (PageBits + DirBits * DirLevels);
    struct Dir {
        std::atomic<void*> slots[1u << DirBits] = {};
    };
    struct Page {
        mutable SpinLock lock;
        std::atomic<std::uint32_t> live{0};
        /// Ids of this page removed or forgotten; at PageSize the page is done.
        std::uint32_t retired = 0;
        Process* slots[PageSize] = {};
    };
    /// The page holding id (created when `create`); nullptr when absent.
    Page* pageOf(std::uint64_t id, bool create) const;
    /// Retires one id of page; frees the page when it was the last.
    void retire(std::uint64_t id, Page* page);
    void freePage(std::uint64_t id, Page* page);
    /// Calls fn(page) for every page, as a reader (pages are not freed meanwhile).
    template <class F> void forEachPage(F&& fn) const;
    void enterReader() const;
    void leaveReader() const;

    /// The slot of id's page in the last directory level (created when `create`), or nullptr.
    std::atomic<void*>* pageSlotOf(std::uint64_t id, bool create) const;
    static void deleteDir(Dir* d, unsigned level);

    mutable Dir m_root;
    /// Distinct per table ever made (a thread's last-page cache must not mistake a new table at a
    /// freed one's address for it).
    const std::uint64_t m_serial;
    /// Ids past IdLimit (not reached in practice).
    mutable std::mutex m_farMutex;
    FlatIdMap<Process*> m_far;
    mutable std::atomic<std::int64_t> m_readers{0};
    mutable std::mutex m_retiredMutex;
    mutable std::vector<Page*> m_retired;
    mutable std::atomic<bool> m_hasRetired{false};
};

} // namespace canopy
