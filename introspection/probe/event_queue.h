#pragma once
#include "introspection/probe/probe_event.h"
#include "runtime/event_sink.h"
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace canopy::introspection {

/// The runtime-facing end of the probe: an EventSink whose onEvent copies the event into a lock-free
/// multi-producer single-consumer queue (one atomic exchange) and returns. Bounded: past `limit`
/// pending events new ones are dropped and counted, and the consumer learns it must resync.
class EventQueue final : public EventSink {
public:
    /// `limit` bounds pending events; `wake` (may be empty) is called, on the producer's thread, by the
    /// first push after a drain (it must not block: e.g. an asio::post).
    explicit EventQueue(std::size_t limit = 1u << 20, std::function<void()> wake = {});
    ~EventQueue() override;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    /// EventSink: copies and enqueues; never blocks.
    void onEvent(const RuntimeEvent& event) noexcept override;
    /// Consumer only: hands every queued event, in push order per producer, to fn; returns how many.
    std::size_t drain(const std::function<void(ProbeEvent&)>& fn);
    /// Consumer only: true (once) when events were dropped since the last call.
    bool takeOverflow();
    /// Events dropped since construction.
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    /// Events accepted since construction.
    std::uint64_t pushed() const { return m_pushed.load(std::memory_order_relaxed); }
    /// Events waiting (approximate).
    std::size_t pending() const { return m_size.load(std::memory_order_relaxed); }
    /// Waits until no producer is inside onEvent (call after detaching the sink, before destruction).
    void quiesce() const;

private:
    struct Node {
        std::atomic<Node*> next{nullptr};
        ProbeEvent event;
    };
    void push(Node* node) noexcept;

    std::size_t m_limit;
    std::function<void()> m_wake;
    alignas(64) std::atomic<Node*> m_head;
    alignas(64) Node* m_tail;
    Node m_stub;
    alignas(64) std::atomic<std::size_t> m_size{0};
    std::atomic<bool> m_signalled{false};
    std::atomic<bool> m_overflow{false};
    std::atomic<std::uint64_t> m_dropped{0};
    std::atomic<std::uint64_t> m_pushed{0};
    std::atomic<int> m_inside{0};
};

} // namespace canopy::introspection
