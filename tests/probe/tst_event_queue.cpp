#include "introspection/probe/event_queue.h"
#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace canopy;
using namespace canopy::introspection;

/// The runtime-facing MPSC queue: lossless and ordered per producer below its bound, counted drops above.
class TestEventQueue : public QObject {
    Q_OBJECT
private slots:
    void copiesTheViews() {
        EventQueue q;
        std::string text = "worker_1";
        ExitReason reason = ExitReason::error("boom");
        RuntimeEvent e;
        e.type = RuntimeEventType::Exit;
        e.pid = 7;
        e.text = text;
        e.reason = &reason;
        q.onEvent(e);
        text = "overwritten";
        reason = ExitReason::normal();
        std::vector<ProbeEvent> got;
        QCOMPARE(q.drain([&](ProbeEvent& ev) { got.push_back(ev); }), std::size_t(1));
        QCOMPARE(got[0].text, std::string("worker_1"));
        QVERIFY(got[0].reason.has_value());
        QCOMPARE(got[0].reason->detail(), std::string("boom"));
        QCOMPARE(got[0].pid, std::uint64_t(7));
    }
    void manyProducersOneConsumerKeepsPerProducerOrder() {
        constexpr int kProducers = 4;
        constexpr std::uint64_t kEach = 50000;
        std::atomic<int> wakes{0};
        EventQueue q(std::size_t(1) << 22, [&] { wakes.fetch_add(1); });
        std::atomic<bool> done{false};
        std::vector<std::uint64_t> next(kProducers, 1);
        std::uint64_t total = 0;
        bool ordered = true;
        std::thread consumer([&] {
            auto take = [&](ProbeEvent& ev) {
                const auto producer = ev.peer;
                if (ev.pid != next[producer]) ordered = false;
                next[producer] = ev.pid + 1;
                ++total;
            };
            while (!done.load()) q.drain(take);
            q.drain(take);
        });
        std::vector<std::thread> producers;
        for (int p = 0; p < kProducers; ++p)
            producers.emplace_back([&, p] {
                RuntimeEvent e;
                e.type = RuntimeEventType::Spawn;
                e.peer = std::uint64_t(p);
                for (std::uint64_t i = 1; i <= kEach; ++i) {
                    e.pid = i;
                    q.onEvent(e);
                }
            });
        for (auto& t : producers) t.join();
        done.store(true);
        consumer.join();
        QVERIFY(ordered);
        QCOMPARE(total, kProducers * kEach);
        QCOMPARE(q.dropped(), std::uint64_t(0));
        QVERIFY(wakes.load() >= 1);
        QVERIFY(std::uint64_t(wakes.load()) < kProducers * kEach); // one wake per batch, not per event
    }
    void boundedDropsAndReportsOverflowOnce() {
        EventQueue q(10);
        RuntimeEvent e;
        for (int i = 0; i < 25; ++i) q.onEvent(e);
        QCOMPARE(q.dropped(), std::uint64_t(15));
        QVERIFY(q.takeOverflow());
        QVERIFY(!q.takeOverflow());
        QCOMPARE(q.drain([](ProbeEvent&) {}), std::size_t(10));
        q.onEvent(e);
        QCOMPARE(q.pending(), std::size_t(1));
    }
    void wakesAgainAfterADrain() {
        int wakes = 0;
        EventQueue q(100, [&] { ++wakes; });
        RuntimeEvent e;
        q.onEvent(e);
        q.onEvent(e);
        QCOMPARE(wakes, 1);
        q.drain([](ProbeEvent&) {});
        q.onEvent(e);
        QCOMPARE(wakes, 2);
    }
};

QTEST_GUILESS_MAIN(TestEventQueue)
#include "tst_event_queue.moc"
