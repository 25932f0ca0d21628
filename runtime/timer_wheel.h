#pragma once
#include "runtime/flat_id_map.h"
#include "runtime/message.h"
#include "runtime/pid.h"
#include "runtime/spin_lock.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

namespace canopy {

/// One scheduler worker's timers (runtime internal): a hierarchical timing wheel with 1 ms ticks
/// (256 slots of 1 ms, then three levels of 64 slots: 256 ms, 16.4 s, 17.5 min; beyond 18.6 h an
/// overflow list), O(1) insert and cancel, and occupancy bitmaps so a wheel that idles jumps
/// straight to its next event. The owning worker adds and fires; any thread may cancel or, when
/// the owner is stuck in a long handler, fire what is overdue — under the wheel's own lock, which
/// no other wheel shares.
class TimerWheel {
public:
    /// A timer that fell due: the message and who gets it.
    struct Due {
        Pid to;
        MessageNode* msg;
    };
    static constexpr std::int64_t Never = std::numeric_limits<std::int64_t>::max();

    TimerWheel();
    ~TimerWheel();
    TimerWheel(const TimerWheel&) = delete;
    TimerWheel& operator=(const TimerWheel&) = delete;

    /// Schedules msg for `to` at deadlineNs (rounded up to the next millisecond; nowNs is the
    /// clock now); returns an id (never 0) for cancel. Takes ownership of msg.
    std::uint64_t add(std::int64_t nowNs, std::int64_t deadlineNs, Pid to, MessageNode* msg);
    /// Removes a pending timer and deletes its message; false if it fired or was cancelled.
    bool cancel(std::uint64_t id);
    /// Moves the wheel to nowNs and appends every timer due by then to `out` (in deadline order).
    void collectDue(std::int64_t nowNs, std::vector<Due>& out);
    /// When the wheel next has something to do (a timer due, or a coarse slot to spread out);
    /// Never when empty. Readable from any thread without the lock.
    std::int64_t nextEventNs() const { return m_nextEventNs.load(std::memory_order_acquire); }
    std::size_t pending() const { return m_count.load(std::memory_order_relaxed); }
    /// Deletes every pending timer (shutdown).
    void clear();

private:
    struct Entry {
        Entry* next = nullptr;
        Entry* prev = nullptr;
        std::uint64_t tick = 0;
        std::uint64_t id = 0;
        Pid to;
        MessageNode* msg = nullptr;
        std::uint16_t list = 0; // index into m_lists
    };
    struct List {
        Entry* head = nullptr;
        Entry* tail = nullptr;
    };
    static constexpr unsigned L0Bits = 8, LnBits = 6, Levels = 4;
    static constexpr unsigned L0Slots = 1u << L0Bits, LnSlots = 1u << LnBits;
    // m_lists: level 0 (256), levels 1..3 (64 each), then the overflow list.
    static constexpr unsigned ListCount = L0Slots + (Levels - 1) * LnSlots + 1;
    static constexpr unsigned Overflow = ListCount - 1;

    static unsigned shiftOf(unsigned level) { return level == 0 ? 0 : L0Bits + (level - 1) * LnBits; }
    static unsigned firstListOf(unsigned level) { return level == 0 ? 0 : L0Slots + (level - 1) * LnSlots; }
    void place(Entry* e);
    void link(Entry* e, unsigned list);
    void unlink(Entry* e);
    /// Earliest tick after m_now at which a level-0 slot fires or a coarser slot cascades.
    std::uint64_t nextEventTick() const;
    void cascade(unsigned level);
    void publishNext();
    Entry* newEntry();
    void freeEntry(Entry* e);

    mutable SpinLock m_lock;
    std::uint64_t m_now = 0; // current tick (ms); every pending entry has tick > m_now
    std::uint64_t m_nextId = 1;
    std::array<List, ListCount> m_lists{};
    std::array<std::uint64_t, L0Slots / 64> m_bits0{};
    std::array<std::uint64_t, Levels> m_bitsN{}; // levels 1..3 at [1..3]
    FlatIdMap<Entry*> m_byId;
    Entry* m_free = nullptr;
    std::atomic<std::size_t> m_count{0};
    std::atomic<std::int64_t> m_nextEventNs{Never};
    bool m_started = false;
};

} // namespace canopy
