#include "runtime/process_table.h"
#include "runtime/process.h"
#include <algorithm>
#include <memory>

namespace canopy {

namespace {
std::atomic<std::uint64_t> g_tableSerial{0};
}

ProcessTable::ProcessTable() : m_serial(g_tableSerial.fetch_add(1, std::memory_order_relaxed) + 1) {}

ProcessTable::~ProcessTable() {
    deleteDir(&m_root, 0);
    for (Page* p : m_retired) delete p;
}

void ProcessTable::deleteDir(Dir* d, unsigned level) {
    for (auto& slot : d->slots) {
        void* child = slot.load(std::memory_order_relaxed);
        if (!child) continue;
        if (level + 1 == DirLevels) {
            delete static_cast<Page*>(child);
        } else {
            deleteDir(static_cast<Dir*>(child), level + 1);
            delete static_cast<Dir*>(child);
        }
    }
}

std::atomic<void*>* ProcessTable::pageSlotOf(std::uint64_t id, bool create) const {
    Dir* dir = &m_root;
    for (unsigned level = 0;; ++level) {
        const unsigned shift = PageBits + DirBits * (DirLevels - 1 - level);
        std::atomic<void*>& slot = dir->slots[(id >> shift) & ((1u << DirBits) - 1)];
        if (level + 1 == DirLevels) return &slot;
        void* child = slot.load(std::memory_order_acquire);
        if (!child) {
            if (!create) return nullptr;
            auto* fresh = new Dir();
            if (slot.compare_exchange_strong(child, fresh, std::memory_order_acq_rel)) child = fresh;
            else delete fresh;
        }
        dir = static_cast<Dir*>(child);
    }
}

ProcessTable::Page* ProcessTable::pageOf(std::uint64_t id, bool create) const {
    std::atomic<void*>* slot = pageSlotOf(id, create);
    if (!slot) return nullptr;
    void* page = slot->load(std::memory_order_acquire);
    if (!page && create) {
        auto* fresh = new Page();
        if (slot->compare_exchange_strong(page, fresh, std::memory_order_acq_rel)) page = fresh;
        else delete fresh;
    }
    return static_cast<Page*>(page);
}

void ProcessTable::insert(Process* p) {
    if (p->id >= IdLimit) [[unlikely]] {
        std::lock_guard g(m_farMutex);
        m_far.insert(p->id, p);
        return;
    }
    // A thread inserting ids one after another hits the same page: remember the last one. It
    // cannot have been freed meanwhile — a page goes only once every id of it was removed, and
    // this id has not even been inserted.
    thread_local std::uint64_t lastTable = 0;
    thread_local std::uint64_t lastPageNo = ~std::uint64_t(0);
    thread_local Page* lastPage = nullptr;
    const std::uint64_t pageNo = p->id >> PageBits;
    Page* page;
    if (lastTable == m_serial && lastPageNo == pageNo) {
        page = lastPage;
    } else {
        page = pageOf(p->id, true);
        lastTable = m_serial;
        lastPageNo = pageNo;
        lastPage = page;
    }
    std::lock_guard g(page->lock);
    page->slots[p->id & (PageSize - 1)] = p;
    page->live.store(page->live.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

bool ProcessTable::remove(std::uint64_t id) {
    if (id >= IdLimit) [[unlikely]] {
        std::lock_guard g(m_farMutex);
        return m_far.erase(id);
    }
    Page* page = pageOf(id, false);
    if (!page) return false;
    {
        std::lock_guard g(page->lock);
        Process*& slot = page->slots[id & (PageSize - 1)];
        if (!slot) return false;
        slot = nullptr;
        page->live.store(page->live.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    }
    retire(id, page);
    return true;
}

void ProcessTable::forget(std::uint64_t id) {
    if (id >= IdLimit) return;
    // The id's page may not exist yet (nothing of it was ever inserted): create it to count.
    retire(id, pageOf(id, true));
}

void ProcessTable::retire(std::uint64_t id, Page* page) {
    bool done;
    {
        std::lock_guard g(page->lock);
        done = ++page->retired == PageSize;
    }
    if (done) freePage(id, page);
}

void ProcessTable::freePage(std::uint64_t id, Page* page) {
    // Every id of the page has come and gone: nobody inserts or removes here again. Unlink it,
    // then free it unless a reader may have picked it up before the unlink (seq_cst both sides).
    pageSlotOf(id, false)->store(nullptr, std::memory_order_seq_cst);
    if (m_readers.load(std::memory_order_seq_cst) == 0) {
        delete page;
        return;
    }
    std::lock_guard g(m_retiredMutex);
    m_retired.push_back(page);
    m_hasRetired.store(true, std::memory_order_release);
}

void ProcessTable::enterReader() const { m_readers.fetch_add(1, std::memory_order_seq_cst); }

void ProcessTable::leaveReader() const {
    if (m_readers.fetch_sub(1, std::memory_order_seq_cst) != 1) return;
    if (!m_hasRetired.load(std::memory_order_acquire)) return;
    // The last reader out frees pages retired while readers were about, if no new reader came.
    std::vector<Page*> drop;
    {
        std::lock_guard g(m_retiredMutex);
        if (m_readers.load(std::memory_order_seq_cst) != 0) return;
        drop.swap(m_retired);
        m_hasRetired.store(false, std::memory_order_relaxed);
    }
    for (Page* p : drop) delete p;
}

template <class F> void ProcessTable::forEachPage(F&& fn) const {
    enterReader();
    auto walk = [&](auto& self, const Dir& dir, unsigned level) -> void {
        for (const auto& slot : dir.slots) {
            const void* child = slot.load(std::memory_order_seq_cst);
            if (!child) continue;
            if (level + 1 == DirLevels) fn(*static_cast<const Page*>(child));
            else self(self, *static_cast<const Dir*>(child), level + 1);
        }
    };
    walk(walk, m_root, 0);
    leaveReader();
    // Ids past IdLimit, as more "pages".
    std::vector<Process*> far;
    {
        std::lock_guard g(m_farMutex);
        m_far.forEach([&](std::uint64_t, Process* p) { far.push_back(p); });
    }
    for (std::size_t at = 0; at < far.size(); at += PageSize) {
        auto page = std::make_unique<Page>();
        const std::size_t n = std::min<std::size_t>(PageSize, far.size() - at);
        std::copy_n(far.begin() + std::ptrdiff_t(at), n, page->slots);
        page->live.store(std::uint32_t(n), std::memory_order_relaxed);
        fn(*page);
    }
}

Pid ProcessTable::find(std::uint64_t id) const {
    if (id >= IdLimit) [[unlikely]] {
        std::lock_guard g(m_farMutex);
        Process* const* p = m_far.find(id);
        return p ? Pid(static_cast<ProcessAnchor*>(*p)) : Pid();
    }
    enterReader();
    Pid out;
    if (const Page* page = pageOf(id, false)) {
        std::lock_guard g(page->lock);
        if (Process* p = page->slots[id & (PageSize - 1)]) out = Pid(static_cast<ProcessAnchor*>(p));
    }
    leaveReader();
    return out;
}

void ProcessTable::forEach(const std::function<void(const Pid&)>& fn) const {
    forEachBatch([&](std::span<const Pid> batch) {
        for (const Pid& pid : batch) fn(pid);
    });
}

void ProcessTable::forEachBatch(const std::function<void(std::span<const Pid>)>& fn) const {
    std::vector<Pid> batch;
    forEachPage([&](const Page& page) {
        if (page.live.load(std::memory_order_relaxed) == 0) return;
        batch.clear();
        {
            std::lock_guard g(page.lock);
            for (Process* p : page.slots)
                if (p) batch.emplace_back(static_cast<ProcessAnchor*>(p));
        }
        fn(batch);
    });
}

void ProcessTable::forEachCounters(const std::function<void(const ProcessCounters&)>& fn) const {
    std::vector<const Process*> procs;
    std::vector<ProcessCounters> batch;
    constexpr std::size_t kAhead = 8; // the walk is bound by cache misses: prefetch ahead
    forEachPage([&](const Page& page) {
        if (page.live.load(std::memory_order_relaxed) == 0) return;
        batch.clear();
        procs.clear();
        {
            std::lock_guard g(page.lock);
            for (Process* p : page.slots)
                if (p) procs.push_back(p);
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
    });
}

std::size_t ProcessTable::size() const {
    std::int64_t n = 0;
    forEachPage([&](const Page& page) { n += page.live.load(std::memory_order_relaxed); });
    return std::size_t(std::max<std::int64_t>(0, n));
}

std::vector<Pid> ProcessTable::drainAll() {
    std::vector<Pid> out;
    std::vector<std::uint64_t> ids;
    forEachPage([&](const Page& page) {
        std::lock_guard g(page.lock);
        for (Process* p : page.slots)
            if (p) ids.push_back(p->id);
    });
    {
        std::lock_guard g(m_farMutex);
        m_far.forEach([&](std::uint64_t, Process* p) { out.emplace_back(static_cast<ProcessAnchor*>(p), true); });
        m_far.clear();
    }
    for (std::uint64_t id : ids) {
        if (id >= IdLimit) continue;
        Page* page = pageOf(id, false);
        if (!page) continue;
        Process* p;
        {
            std::lock_guard g(page->lock);
            p = std::exchange(page->slots[id & (PageSize - 1)], nullptr);
            if (!p) continue;
            page->live.store(page->live.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
        }
        out.emplace_back(static_cast<ProcessAnchor*>(p), true); // adopts the table's reference
        retire(id, page);
    }
    return out;
}

} // namespace canopy
