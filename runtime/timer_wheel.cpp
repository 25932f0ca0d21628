#include "runtime/timer_wheel.h"
#include <bit>
#include <mutex>

namespace canopy {

namespace {
constexpr std::int64_t NsPerTick = 1'000'000;
std::uint64_t tickAtOrAfter(std::int64_t ns) { return ns <= 0 ? 0 : std::uint64_t((ns + NsPerTick - 1) / NsPerTick); }
std::uint64_t tickAtOrBefore(std::int64_t ns) { return ns <= 0 ? 0 : std::uint64_t(ns / NsPerTick); }

/// First set bit of a 64-bit word strictly after position `after` in circular order (distance
/// 1..64), or 0 when none is set.
unsigned circularDistance64(std::uint64_t bits, unsigned after) {
    if (!bits) return 0;
    const std::uint64_t rotated = std::rotr(bits, int((after + 1) & 63)); // bit i = position after+1+i
    return unsigned(std::countr_zero(rotated)) + 1;
}
} // namespace

TimerWheel::TimerWheel() = default;

TimerWheel::~TimerWheel() {
    clear();
    while (Entry* e = m_free) {
        m_free = e->next;
        delete e;
    }
}

TimerWheel::Entry* TimerWheel::newEntry() {
    if (Entry* e = m_free) {
        m_free = e->next;
        e->next = e->prev = nullptr;
        return e;
    }
    return new Entry;
}

void TimerWheel::freeEntry(Entry* e) {
    e->to = Pid();
    e->msg = nullptr;
    e->prev = nullptr;
    e->next = m_free;
    m_free = e;
}

void TimerWheel::link(Entry* e, unsigned list) {
    e->list = std::uint16_t(list);
    List& l = m_lists[list];
    e->next = nullptr;
    e->prev = l.tail;
    if (l.tail) l.tail->next = e;
    else l.head = e;
    l.tail = e;
    if (list < L0Slots) {
        m_bits0[list / 64] |= std::uint64_t(1) << (list % 64);
    } else if (list != Overflow) {
        const unsigned level = 1 + (list - L0Slots) / LnSlots;
        m_bitsN[level] |= std::uint64_t(1) << ((list - L0Slots) % LnSlots);
    }
}

void TimerWheel::unlink(Entry* e) {
    List& l = m_lists[e->list];
    if (e->prev) e->prev->next = e->next;
    else l.head = e->next;
    if (e->next) e->next->prev = e->prev;
    else l.tail = e->prev;
    e->next = e->prev = nullptr;
    if (l.head) return;
    const unsigned list = e->list;
    if (list < L0Slots) {
        m_bits0[list / 64] &= ~(std::uint64_t(1) << (list % 64));
    } else if (list != Overflow) {
        const unsigned level = 1 + (list - L0Slots) / LnSlots;
        m_bitsN[level] &= ~(std::uint64_t(1) << ((list - L0Slots) % LnSlots));
    }
}

void TimerWheel::place(Entry* e) {
    // Invariant: e->tick >= m_now; tick == m_now only while cascading into the slot about to fire.
    const std::uint64_t delta = e->tick - m_now;
    if (delta < L0Slots) {
        link(e, unsigned(e->tick & (L0Slots - 1)));
        return;
    }
    for (unsigned level = 1; level < Levels; ++level) {
        if (delta < (std::uint64_t(1) << (shiftOf(level) + LnBits))) {
            link(e, firstListOf(level) + unsigned((e->tick >> shiftOf(level)) & (LnSlots - 1)));
            return;
        }
    }
    link(e, Overflow);
}

std::uint64_t TimerWheel::add(std::int64_t nowNs, std::int64_t deadlineNs, Pid to, MessageNode* msg) {
    std::lock_guard g(m_lock);
    if (!m_started) {
        m_now = tickAtOrBefore(nowNs);
        m_started = true;
    }
    Entry* e = newEntry();
    e->tick = std::max(tickAtOrAfter(deadlineNs), m_now + 1);
    e->id = m_nextId++;
    e->to = std::move(to);
    e->msg = msg;
    place(e);
    m_byId.insert(e->id, e);
    m_count.fetch_add(1, std::memory_order_relaxed);
    publishNext();
    return e->id;
}

bool TimerWheel::cancel(std::uint64_t id) {
    MessageNode* msg = nullptr;
    Pid to;
    {
        std::lock_guard g(m_lock);
        Entry** found = m_byId.find(id);
        if (!found) return false;
        Entry* e = *found;
        m_byId.erase(id);
        unlink(e);
        msg = e->msg;
        to = std::move(e->to);
        freeEntry(e);
        m_count.fetch_sub(1, std::memory_order_relaxed);
        publishNext();
    }
    delete msg;
    return true;
}

std::uint64_t TimerWheel::nextEventTick() const {
    std::uint64_t best = ~std::uint64_t(0);
    // Level 0: the next occupied slot after m_now (slots are ticks m_now+1 .. m_now+255).
    const unsigned cur0 = unsigned(m_now & (L0Slots - 1));
    for (unsigned k = 1; k < L0Slots; ++k) {
        const unsigned slot = (cur0 + k) & (L0Slots - 1);
        const std::uint64_t word = m_bits0[slot / 64] >> (slot % 64);
        if (!word) { // skip to the next word boundary
            k += 63 - (slot % 64);
            continue;
        }
        k += unsigned(std::countr_zero(word));
        if (k < L0Slots) best = m_now + k;
        break;
    }
    // Coarser levels: the boundary at which their next occupied slot cascades.
    for (unsigned level = 1; level < Levels; ++level) {
        const unsigned shift = shiftOf(level);
        const unsigned cur = unsigned((m_now >> shift) & (LnSlots - 1));
        if (const unsigned d = circularDistance64(m_bitsN[level], cur))
            best = std::min(best, ((m_now >> shift) + d) << shift);
    }
    if (m_lists[Overflow].head) {
        const unsigned shift = shiftOf(Levels);
        best = std::min(best, ((m_now >> shift) + 1) << shift);
    }
    return best;
}

void TimerWheel::publishNext() {
    if (m_count.load(std::memory_order_relaxed) == 0) {
        m_nextEventNs.store(Never, std::memory_order_release);
        return;
    }
    const std::uint64_t t = nextEventTick();
    m_nextEventNs.store(t > std::uint64_t(Never / NsPerTick) ? Never : std::int64_t(t) * NsPerTick,
                        std::memory_order_release);
}

void TimerWheel::cascade(unsigned level) {
    const unsigned list = level == Levels ? Overflow
                                          : firstListOf(level) + unsigned((m_now >> shiftOf(level)) & (LnSlots - 1));
    Entry* e = m_lists[list].head;
    m_lists[list] = List{};
    if (list != Overflow) m_bitsN[level] &= ~(std::uint64_t(1) << ((list - L0Slots) % LnSlots));
    while (e) {
        Entry* next = e->next;
        place(e);
        e = next;
    }
}

void TimerWheel::collectDue(std::int64_t nowNs, std::vector<Due>& out) {
    std::lock_guard g(m_lock);
    const std::uint64_t target = tickAtOrBefore(nowNs);
    if (!m_started) {
        m_now = target;
        m_started = true;
        return;
    }
    while (m_now < target) {
        if (m_count.load(std::memory_order_relaxed) == 0) {
            m_now = target;
            break;
        }
        const std::uint64_t next = nextEventTick();
        if (next > target) {
            m_now = target;
            break;
        }
        m_now = next;
        // Cascade coarser slots whose range starts now (highest level first), then fire.
        for (unsigned level = Levels; level >= 1; --level)
            if ((m_now & ((std::uint64_t(1) << shiftOf(level)) - 1)) == 0) cascade(level);
        List& l = m_lists[m_now & (L0Slots - 1)];
        for (Entry* e = l.head; e;) {
            Entry* next = e->next;
            m_byId.erase(e->id);
            out.push_back(Due{std::move(e->to), e->msg});
            freeEntry(e);
            m_count.fetch_sub(1, std::memory_order_relaxed);
            e = next;
        }
        l = List{};
        const unsigned slot = unsigned(m_now & (L0Slots - 1));
        m_bits0[slot / 64] &= ~(std::uint64_t(1) << (slot % 64));
    }
    publishNext();
}

void TimerWheel::clear() {
    std::vector<MessageNode*> drop;
    {
        std::lock_guard g(m_lock);
        for (List& l : m_lists) {
            for (Entry* e = l.head; e;) {
                Entry* next = e->next;
                drop.push_back(e->msg);
                freeEntry(e);
                e = next;
            }
            l = List{};
        }
        m_bits0 = {};
        m_bitsN = {};
        m_byId.clear();
        m_count.store(0, std::memory_order_relaxed);
        m_nextEventNs.store(Never, std::memory_order_release);
    }
    for (MessageNode* m : drop) delete m;
}

} // namespace canopy
