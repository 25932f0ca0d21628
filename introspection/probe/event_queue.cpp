#include "introspection/probe/event_queue.h"
#include <new>
#include <thread>

namespace canopy::introspection {

EventQueue::EventQueue(std::size_t limit, std::function<void()> wake)
    : m_limit(limit), m_wake(std::move(wake)), m_head(&m_stub), m_tail(&m_stub) {}

EventQueue::~EventQueue() {
    drain([](ProbeEvent&) {});
}

namespace {
/// Counts a producer inside onEvent for quiesce().
struct InsideGuard {
    std::atomic<int>& n;
    explicit InsideGuard(std::atomic<int>& c) : n(c) { n.fetch_add(1, std::memory_order_acq_rel); }
    ~InsideGuard() { n.fetch_sub(1, std::memory_order_acq_rel); }
};
} // namespace

void EventQueue::quiesce() const {
    while (m_inside.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

void EventQueue::onEvent(const RuntimeEvent& event) noexcept {
    InsideGuard inside(m_inside);
    if (m_size.fetch_add(1, std::memory_order_relaxed) >= m_limit) {
        m_size.fetch_sub(1, std::memory_order_relaxed);
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        m_overflow.store(true, std::memory_order_release);
        return;
    }
    Node* node = nullptr;
    try {
        node = new Node;
        node->event = ProbeEvent::from(event);
    } catch (...) {
        delete node;
        m_size.fetch_sub(1, std::memory_order_relaxed);
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        m_overflow.store(true, std::memory_order_release);
        return;
    }
    m_pushed.fetch_add(1, std::memory_order_relaxed);
    push(node);
    if (m_wake && !m_signalled.exchange(true, std::memory_order_acq_rel)) {
        try {
            m_wake();
        } catch (...) {
        }
    }
}

void EventQueue::push(Node* node) noexcept {
    node->next.store(nullptr, std::memory_order_relaxed);
    Node* prev = m_head.exchange(node, std::memory_order_acq_rel);
    prev->next.store(node, std::memory_order_release);
}

std::size_t EventQueue::drain(const std::function<void(ProbeEvent&)>& fn) {
    m_signalled.store(false, std::memory_order_release);
    std::size_t n = 0;
    for (;;) {
        Node* tail = m_tail;
        Node* next = tail->next.load(std::memory_order_acquire);
        if (tail == &m_stub) {
            if (!next) break;
            m_tail = next;
            tail = next;
            next = next->next.load(std::memory_order_acquire);
        }
        if (next) {
            m_tail = next;
            fn(tail->event);
            delete tail;
            m_size.fetch_sub(1, std::memory_order_relaxed);
            ++n;
            continue;
        }
        if (tail != m_head.load(std::memory_order_acquire)) {
            // A producer is between its exchange and its link: it finishes in a few instructions.
            std::this_thread::yield();
            continue;
        }
        push(&m_stub);
        next = tail->next.load(std::memory_order_acquire);
        if (next) {
            m_tail = next;
            fn(tail->event);
            delete tail;
            m_size.fetch_sub(1, std::memory_order_relaxed);
            ++n;
            continue;
        }
        // The last producer's link is in flight; retry.
        std::this_thread::yield();
    }
    return n;
}

bool EventQueue::takeOverflow() {
    return m_overflow.exchange(false, std::memory_order_acq_rel);
}

} // namespace canopy::introspection
