#pragma once
#include "runtime/message.h"
#include <atomic>
#include <cstdint>

namespace canopy {

/// Lock-free multi-producer single-consumer intrusive queue (Vyukov) with an O(1) length.
/// Pushes are counted on the tail's cache line, which a producer owns anyway for its exchange:
/// a producer with a slot of its own (a scheduler worker, or a plain thread holding an outside slot:
/// see push and outside_push_slot.h) counts with a plain load and store — no second atomic
/// read-modify-write per message — and everybody else with a relaxed RMW on a shared counter. The consumer counts pops with a plain store on its own cache line.
class Mailbox {
public:
    /// Producer slots with an exclusive push counter (slot 1..OwnedSlots; 0 = the shared counter).
    static constexpr unsigned OwnedSlots = 6; // fills the tail's cache line

    Mailbox() : m_tail(&m_stub), m_head(&m_stub) {}
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;
    ~Mailbox() { clear(); }

    /// Enqueues a node (any thread). Takes ownership. `slot`: 0, or a slot in 1..OwnedSlots that no
    /// other thread pushing to this mailbox uses (the caller guarantees it).
    void push(MessageNode* n, unsigned slot = 0) noexcept {
        n->next.store(nullptr, std::memory_order_relaxed);
#ifndef CANOPY_NO_COUNTERS
        if (slot != 0) {
            std::atomic<std::int64_t>& c = m_ownedPushed[slot - 1];
            c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        } else {
            m_pushed.fetch_add(1, std::memory_order_relaxed);
        }
#else
        (void)slot;
#endif
        MessageNode* prev = m_tail.exchange(n, std::memory_order_acq_rel);
        prev->next.store(n, std::memory_order_release);
    }

    /// Result of a pop attempt.
    enum class PopState : std::uint8_t { Item, Empty, Busy };

    /// Dequeues one node (owner thread only). Busy = a producer is mid-push: try again later.
    MessageNode* pop(PopState& state) noexcept {
        MessageNode* head = m_head;
        MessageNode* next = head->next.load(std::memory_order_acquire);
        if (head == &m_stub) {
            if (!next) {
                state = m_tail.load(std::memory_order_acquire) == &m_stub ? PopState::Empty : PopState::Busy;
                return nullptr;
            }
            m_head = next;
            head = next;
            next = next->next.load(std::memory_order_acquire);
        }
        if (next) {
            m_head = next;
            return popped(head, state);
        }
        if (m_tail.load(std::memory_order_acquire) != head) {
            state = PopState::Busy;
            return nullptr;
        }
        // head is the last real node: re-insert the stub behind it so head can be handed out.
        m_stub.next.store(nullptr, std::memory_order_relaxed);
        MessageNode* prev = m_tail.exchange(&m_stub, std::memory_order_acq_rel);
        prev->next.store(&m_stub, std::memory_order_release);
        next = head->next.load(std::memory_order_acquire);
        if (next) {
            m_head = next;
            return popped(head, state);
        }
        state = PopState::Busy;
        return nullptr;
    }

    /// True when something is queued or being pushed (owner thread; seq_cst read of the tail, so a
    /// push that raced with the owner going idle is seen).
    bool maybeNonEmpty() const noexcept {
        return m_head != &m_stub || m_tail.load(std::memory_order_seq_cst) != &m_stub;
    }

    /// After the owner's last pop found the queue empty: true when a producer has pushed since.
    /// Reads only the atomic tail, so it may be called after the owner gave up its turn.
    bool pushedSinceEmpty() const noexcept { return m_tail.load(std::memory_order_seq_cst) != &m_stub; }

    /// Messages not yet received, readable from any thread: queued (pushed - popped) plus those the
    /// owner popped but set aside in a selective receive (OTP's message_queue_len counts both).
    std::int64_t length() const noexcept {
#ifndef CANOPY_NO_COUNTERS
        std::int64_t pushed = m_pushed.load(std::memory_order_relaxed);
        for (const auto& c : m_ownedPushed) pushed += c.load(std::memory_order_relaxed);
        return pushed - m_popped.load(std::memory_order_relaxed) + m_setAside.load(std::memory_order_relaxed);
#else
        return 0;
#endif
    }
    /// The owner set `delta` popped messages aside (+) or took them back (-) (owner thread).
    void addSetAside(std::int64_t delta) noexcept {
#ifndef CANOPY_NO_COUNTERS
        m_setAside.store(m_setAside.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
#else
        (void)delta;
#endif
    }
    /// Messages popped so far (the owner's messages-handled counter).
    std::uint64_t popped() const noexcept { return std::uint64_t(m_popped.load(std::memory_order_relaxed)); }

    /// Deletes every queued node (owner thread, no concurrent producers).
    void clear() noexcept {
        PopState st;
        while (MessageNode* n = pop(st)) delete n;
    }

private:
    MessageNode* popped(MessageNode* n, PopState& state) noexcept {
        state = PopState::Item;
#ifndef CANOPY_NO_COUNTERS
        m_popped.store(m_popped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
#endif
        return n;
    }

    struct StubNode final : MessageNode {};
    alignas(64) std::atomic<MessageNode*> m_tail;
    std::atomic<std::int64_t> m_pushed{0};
    std::atomic<std::int64_t> m_ownedPushed[OwnedSlots] = {};
    alignas(64) MessageNode* m_head;
    std::atomic<std::int64_t> m_popped{0};
    std::atomic<std::int64_t> m_setAside{0};
    StubNode m_stub;
};

} // namespace canopy
