// erlang:trace/3 for sends and receives: what is traced, to whom, and what is not; and the mailbox
// length that workers count in slots of their own.
#include "runtime/manual_clock.h"
#include "test_actor.h"
#include <QtTest>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace canopy;
using namespace canopy::test;

namespace {
/// What a tracer process received.
struct TraceLog {
    std::mutex m;
    std::vector<TraceEvent> events;
    std::vector<TraceEvent> take() {
        std::lock_guard g(m);
        return std::exchange(events, {});
    }
};

Pid spawnTracer(Runtime& rt, std::shared_ptr<TraceLog> log) {
    return rt.spawnFn([log](Context&, Message& m) {
        if (auto* e = m.tryAs<TraceEvent>()) {
            std::lock_guard g(log->m);
            log->events.push_back(*e);
        }
    });
}

bool waitFor(const std::function<bool()>& cond, int ms = 10000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!cond()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}
} // namespace

class TestTracing : public QObject {
    Q_OBJECT
private slots:
    void sendTracingNamesSenderReceiverAndType() {
        Runtime rt({.manual = true});
        auto traces = std::make_shared<TraceLog>();
        Pid tracer = spawnTracer(rt, traces);
        auto la = std::make_shared<Log>(), lb = std::make_shared<Log>(), lc = std::make_shared<Log>();
        Pid a = spawnTest(rt, la), b = spawnTest(rt, lb), c = spawnTest(rt, lc);
        QVERIFY(rt.trace(a, {.send = true}, tracer));
        run(rt, a, [&](Context& ctx) {
            ctx.send(b, std::string("one"));
            ctx.send(b, 42);
            ctx.cast(b, Message::of(std::string("cast")));
        });
        run(rt, c, [&](Context& ctx) { ctx.send(b, std::string("untraced")); });
        rt.send(b, std::string("from outside"));
        rt.runUntilIdle();
        auto ev = traces->take();
        QCOMPARE(ev.size(), std::size_t(3));
        for (const auto& e : ev) {
            QVERIFY(e.kind == TraceEvent::Kind::Send);
            QCOMPARE(e.pid, a.id());
            QCOMPARE(e.peer, b.id());
            QCOMPARE(e.timeNs, std::int64_t(0));
        }
        QCOMPARE(ev[0].messageType, typeTag<std::string>());
        QCOMPARE(ev[1].messageType, typeTag<int>());
        QVERIFY(ev[2].messageType != typeTag<std::string>()); // a cast travels wrapped
        // Every traced message was still delivered.
        QCOMPARE(lb->lines.size(), std::size_t(5));
        // Off again: nothing more.
        QVERIFY(rt.trace(a, {}, {}));
        run(rt, a, [&](Context& ctx) { ctx.send(b, std::string("after")); });
        QVERIFY(traces->take().empty());
    }
    void receiveTracingSeesEveryDeliveryButNoSignals() {
        Runtime rt({.manual = true});
        auto traces = std::make_shared<TraceLog>();
        Pid tracer = spawnTracer(rt, traces);
        auto la = std::make_shared<Log>(), lb = std::make_shared<Log>();
        Pid a = spawnTest(rt, la), b = spawnTest(rt, lb, /*trap=*/true);
        QVERIFY(rt.trace(b, {.receive = true, .timestamp = true}, tracer));
        rt.advanceClock(250);
        const std::int64_t sentAt = rt.clock().nowNs();
        run(rt, a, [&](Context& ctx) {
            ctx.send(b, std::string("hi"));
            ctx.link(b);
            ctx.exit(b, ExitReason::shutdown()); // a signal (trapped into a message): not traced
        });
        rt.send(b, 7);
        rt.runUntilIdle();
        auto ev = traces->take();
        QCOMPARE(ev.size(), std::size_t(2));
        QVERIFY(ev[0].kind == TraceEvent::Kind::Receive);
        QCOMPARE(ev[0].pid, b.id());
        QCOMPARE(ev[0].peer, a.id());
        QCOMPARE(ev[0].messageType, typeTag<std::string>());
        QCOMPARE(ev[0].timeNs, sentAt);
        QCOMPARE(ev[1].peer, std::uint64_t(0)); // from outside any process
        QCOMPARE(ev[1].messageType, typeTag<int>());
        QVERIFY(lb->contains("EXIT " + a.toString() + " shutdown"));
    }
    void badRequestsAndDeadTracers() {
        Runtime rt({.manual = true});
        auto traces = std::make_shared<TraceLog>();
        Pid tracer = spawnTracer(rt, traces);
        auto la = std::make_shared<Log>(), lb = std::make_shared<Log>();
        Pid a = spawnTest(rt, la), b = spawnTest(rt, lb);
        QVERIFY(!rt.trace(a, {.send = true}, Pid())); // no tracer
        QVERIFY(!rt.trace(Pid(), {.send = true}, tracer));
        rt.exit(b, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(!rt.trace(b, {.send = true}, tracer)); // dead target
        // A tracer that dies: events are dropped, the traced process goes on.
        QVERIFY(rt.trace(a, {.send = true}, tracer));
        rt.exit(tracer, ExitReason::kill());
        rt.runUntilIdle();
        auto lc = std::make_shared<Log>();
        Pid c = spawnTest(rt, lc);
        run(rt, a, [&](Context& ctx) { ctx.send(c, std::string("still")); });
        QVERIFY(lc->contains("msg still"));
        QVERIFY(traces->take().empty());
        // A new tracer takes over.
        auto traces2 = std::make_shared<TraceLog>();
        Pid tracer2 = spawnTracer(rt, traces2);
        QVERIFY(rt.trace(a, {.send = true}, tracer2));
        run(rt, a, [&](Context& ctx) { ctx.sendNamed("nobody", Message::of(1)); ctx.send(c, 1); });
        QCOMPARE(traces2->take().size(), std::size_t(1));
    }
    void threadedRingTracedToTheEnd() {
        // Every hop of a 100-process ring on the thread pool is traced: no event lost.
        Runtime rt({.workers = 2});
        auto traces = std::make_shared<TraceLog>();
        Pid tracer = spawnTracer(rt, traces);
        std::atomic<bool> done{false};
        std::vector<Pid> ring;
        auto next = std::make_shared<std::vector<Pid>>();
        const int n = 100, hops = 5000;
        for (int i = 0; i < n; ++i)
            ring.push_back(rt.spawnFn([i, next, &done](Context& ctx, Message& m) {
                int k = m.as<int>();
                if (k == 0) done = true;
                else ctx.send((*next)[(i + 1) % n], k - 1);
            }));
        *next = ring;
        for (const Pid& p : ring) QVERIFY(rt.trace(p, {.send = true}, tracer));
        rt.send(ring[0], hops);
        QVERIFY(waitFor([&] { return done.load(); }));
        QVERIFY(waitFor([&] {
            std::lock_guard g(traces->m);
            return traces->events.size() == std::size_t(hops);
        }));
        auto ev = traces->take();
        for (int i = 0; i < hops; ++i) QCOMPARE(ev[i].pid, ring[i % n].id());
    }
    void mailboxLengthCountsEveryProducer() {
        // Pushes from both workers (own counter slots) and from plain threads (the shared counter)
        // all show in the length while the receiver is blocked.
        Runtime rt({.workers = 2});
        std::atomic<bool> release{false}, blocked{false}, releasedInTime{true};
        // A failed check returns early: release the blocked process first, or the runtime's
        // destructor would wait for it forever.
        struct Release {
            std::atomic<bool>& release;
            ~Release() { release = true; }
        } releaseOnExit{release};
        Pid sink = rt.spawnFn([&](Context&, Message& m) {
            if (m.is<std::string>()) {
                blocked = true;
                if (!waitFor([&] { return release.load(); }, 60000)) releasedInTime = false;
            }
        });
        rt.send(sink, std::string("block"));
        QVERIFY(waitFor([&] { return blocked.load(); }));
        const int perSender = 2000, senders = 8;
        std::atomic<int> finished{0};
        for (int s = 0; s < senders; ++s) {
            Pid sender = rt.spawnFn([&, sink](Context& ctx, Message&) {
                for (int j = 0; j < perSender; ++j) ctx.send(sink, j);
                ++finished;
            });
            rt.send(sender, 0);
        }
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&] {
                for (int j = 0; j < perSender; ++j) rt.send(sink, j);
            });
        for (auto& t : threads) t.join();
        QVERIFY(waitFor([&] { return finished.load() == senders; }));
        QCOMPARE(rt.info(sink)->mailboxLength, std::int64_t((senders + 2) * perSender));
        release = true;
        QVERIFY2(releasedInTime.load(), "the blocked receiver gave up waiting (60 s) before the test released it");
        QVERIFY(waitFor([&] { return rt.info(sink)->mailboxLength == 0; }));
    }
};

QTEST_GUILESS_MAIN(TestTracing)
#include "tst_tracing.moc"
