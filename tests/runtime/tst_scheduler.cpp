// The threaded scheduler under load: no message lost, no process stuck, fairness, clean shutdown.
#include "runtime/gen_server.h"
#include "runtime/mailbox.h"
#include "runtime/outside_push_slot.h"
#include "test_actor.h"
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

using namespace canopy;
using namespace canopy::test;

namespace {
bool waitUntil(const std::function<bool()>& cond, int ms = 20000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!cond()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}
struct Hop {
    int left;
};
} // namespace

class TestScheduler : public QObject {
    Q_OBJECT
private slots:
    void detachingTheSinkWaitsForCallsInFlight() {
        // A sink that lingers in onEvent; processes spawn and exit on both workers meanwhile. Once
        // setEventSink(nullptr) returns, no thread may be inside (or enter) the old sink.
        struct SlowSink final : EventSink {
            std::atomic<int> inside{0};
            std::atomic<bool> detached{false}, calledAfterDetach{false};
            std::atomic<long> calls{0};
            void onEvent(const RuntimeEvent&) noexcept override {
                if (detached.load()) calledAfterDetach = true;
                ++inside;
                ++calls;
                for (volatile int i = 0; i < 2000; ++i) {}
                --inside;
            }
        };
        Runtime rt({.workers = 2});
        for (int round = 0; round < 20; ++round) {
            auto sink = std::make_unique<SlowSink>();
            rt.setEventSink(sink.get());
            std::atomic<bool> stop{false};
            std::thread churn([&] {
                while (!stop.load()) rt.spawnFn([](Context& c, Message&) { c.exit(ExitReason::normal()); });
            });
            // However this round ends (a failed check returns early), the churn thread stops and the
            // sink is detached before it is destroyed.
            struct StopChurn {
                Runtime& rt;
                std::atomic<bool>& stop;
                std::thread& churn;
                ~StopChurn() {
                    stop = true;
                    if (churn.joinable()) churn.join();
                    rt.setEventSink(nullptr);
                }
            } stopChurn{rt, stop, churn};
            QVERIFY2(waitUntil([&] { return sink->calls.load() >= 50; }, 20000),
                     "the sink saw fewer than 50 events in 20 s of churn");
            rt.setEventSink(nullptr);
            QCOMPARE(sink->inside.load(), 0);
            sink->detached = true;
            for (int i = 0; i < 200; ++i) rt.spawnFn([](Context&, Message&) {});
            stop = true;
            churn.join();
            QVERIFY(!sink->calledAfterDetach.load());
        }
    }
    void ringDeliversEveryHop() {
        Runtime rt({.workers = 2});
        const int n = 200, hops = 20000;
        std::atomic<bool> done{false};
        std::vector<Pid> ring(n);
        auto next = std::make_shared<std::vector<Pid>>();
        for (int i = 0; i < n; ++i)
            ring[i] = rt.spawnFn([i, next, &done](Context& c, Message& m) {
                int left = m.as<Hop>().left;
                if (left == 0) {
                    done = true;
                    return;
                }
                c.send((*next)[(i + 1) % next->size()], Hop{left - 1});
            });
        *next = ring;
        rt.send(ring[0], Hop{hops});
        QVERIFY(waitUntil([&] { return done.load(); }));
    }
    void fanInFromManyThreads() {
        Runtime rt({.workers = 2});
        std::atomic<long> got{0};
        Pid sink = rt.spawnFn([&](Context&, Message&) { got.fetch_add(1, std::memory_order_relaxed); });
        std::vector<std::thread> senders;
        for (int t = 0; t < 4; ++t)
            senders.emplace_back([&] {
                for (int i = 0; i < 20000; ++i) rt.send(sink, i);
            });
        for (auto& t : senders) t.join();
        QVERIFY(waitUntil([&] { return got.load() == 80000; }));
        QVERIFY(waitUntil([&] { return rt.info(sink)->mailboxLength == 0; }));
    }
    void outsidePushSlotsAreExclusiveAndCountEveryPush() {
        // More plain threads than outside push slots, in two waves (the first wave's slots are given
        // back when its threads end): slots held at the same time are distinct, and every push is
        // counted once, whether in a slot or in the shared counter, so the length ends at 0.
        Runtime rt({.workers = 2});
        std::atomic<long> got{0};
        Pid sink = rt.spawnFn([&](Context&, Message&) { got.fetch_add(1, std::memory_order_relaxed); });
        const int threads = int(Mailbox::OwnedSlots) + 3, perThread = 20000;
        for (int wave = 0; wave < 2; ++wave) {
            std::mutex m;
            std::vector<unsigned> held;
            std::atomic<int> claimed{0};
            std::vector<std::thread> senders;
            for (int t = 0; t < threads; ++t)
                senders.emplace_back([&] {
                    const unsigned slot = outsidePushSlot();
                    {
                        std::lock_guard<std::mutex> lock(m);
                        if (slot != 0) held.push_back(slot);
                    }
                    ++claimed;
                    while (claimed.load() < threads) std::this_thread::yield(); // all hold theirs at once
                    for (int i = 0; i < perThread; ++i) rt.send(sink, i);
                });
            for (auto& t : senders) t.join();
            std::sort(held.begin(), held.end());
            QVERIFY2(std::adjacent_find(held.begin(), held.end()) == held.end(), "two live threads hold one slot");
            QVERIFY2(!held.empty(), "no outside slot was free for a wave of fresh threads");
        }
        QVERIFY(waitUntil([&] { return got.load() == 2L * threads * perThread; }));
        QVERIFY(waitUntil([&] { return rt.info(sink)->mailboxLength == 0; }));
    }
    void busyProcessDoesNotStarveOthers() {
        Runtime rt({.workers = 1, .budget = 16});
        std::atomic<bool> otherRan{false};
        std::atomic<bool> stop{false};
        Pid spinner = rt.spawnFn([&](Context& c, Message&) {
            if (!stop) c.send(c.self(), 1); // keeps itself busy forever
        });
        rt.send(spinner, 1);
        Pid other = rt.spawnFn([&](Context&, Message&) { otherRan = true; });
        rt.send(other, 1);
        QVERIFY(waitUntil([&] { return otherRan.load(); }));
        stop = true;
    }
    void linkStormWithExits() {
        Runtime rt({.workers = 2});
        // 2000 processes in linked pairs die with an error; every partner must die too.
        std::vector<Pid> a, b;
        for (int i = 0; i < 1000; ++i) {
            a.push_back(rt.spawnFn([](Context& c, Message& m) {
                if (auto* cmd = m.tryAs<Cmd>()) cmd->fn(c);
            }));
            b.push_back(rt.spawnFn([](Context&, Message&) {}));
        }
        for (int i = 0; i < 1000; ++i) {
            Pid peer = b[i];
            rt.send(a[i], Cmd{[peer](Context& c) {
                c.link(peer);
                c.exit(ExitReason::error("boom"));
            }});
        }
        QVERIFY(waitUntil([&] { return rt.processCount() == 0; }));
        for (auto& p : b) {
            ExitReason r;
            QVERIFY(rt.awaitExit(p, 1000, &r));
            QCOMPARE(r.toString(), std::string("boom"));
        }
    }
    void concurrentCallsFromThreads() {
        Runtime rt({.workers = 2});
        struct Echo final : GenServer {
            ServerResult handleCall(Context&, Message& m, const From&) override {
                return ServerResult::replyWith(m.as<int>() + 1);
            }
        };
        auto srv = rt.startServer(std::make_unique<Echo>());
        std::atomic<int> ok{0};
        std::vector<std::thread> ts;
        for (int t = 0; t < 3; ++t)
            ts.emplace_back([&, t] {
                for (int i = 0; i < 300; ++i) {
                    auto o = rt.call(srv.pid, Message::of(i + t), 5000);
                    if (o.ok() && o.reply.as<int>() == i + t + 1) ok++;
                }
            });
        for (auto& t : ts) t.join();
        QCOMPARE(ok.load(), 900);
    }
    void stuckWorkerStrandsNoProcess() {
        // A handler that keeps its worker busy for long (as a worker descheduled by the kernel would
        // be) makes another process runnable: that one lands in the busy worker's run-next slot and
        // must be taken over by the other worker after the grace period, not wait for the handler.
        Runtime rt({.workers = 2});
        std::atomic<bool> followerRan{false}, stillInHandler{false};
        Pid follower = rt.spawnFn([&](Context&, Message&) {
            followerRan = true;
        });
        Pid hog = rt.spawnFn([&](Context& c, Message&) {
            c.send(follower, 1); // into this worker's run-next slot
            stillInHandler = true;
            waitUntil([&] { return followerRan.load(); }, 3000);
            stillInHandler = false;
        });
        const auto t0 = std::chrono::steady_clock::now();
        rt.send(hog, 1);
        QVERIFY2(waitUntil([&] { return followerRan.load(); }, 5000), "the follower never ran");
        // It ran while the hog's handler was still spinning (the hog gives up waiting after 3 s).
        QVERIFY2(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500),
                 "the follower waited for the busy worker's handler");
        QVERIFY2(waitUntil([&] { return !stillInHandler.load(); }, 5000), "the hog never returned");
        QVERIFY(rt.waitIdle());
    }
    void timersOfABusyWorkerStillFire() {
        // A process starts a timer (into its worker's wheel) and then hogs that worker: an idle
        // worker fires the overdue timer for it.
        Runtime rt({.workers = 2});
        std::atomic<bool> fired{false};
        Pid receiver = rt.spawnFn([&](Context&, Message&) { fired = true; });
        Pid hog = rt.spawnFn([&](Context& c, Message&) {
            c.sendAfter(5, receiver, Message::of(1));
            waitUntil([&] { return fired.load(); }, 3000);
        });
        rt.send(hog, 1);
        const auto t0 = std::chrono::steady_clock::now();
        QVERIFY2(waitUntil([&] { return fired.load(); }, 5000), "the timer never fired");
        QVERIFY2(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500),
                 "the timer waited for the busy worker's handler");
        QVERIFY(rt.waitIdle());
    }
    void waitIdleReturnsWhenQuiet() {
        Runtime rt({.workers = 2});
        std::atomic<int> n{0};
        Pid p = rt.spawnFn([&](Context&, Message&) { n++; });
        for (int i = 0; i < 1000; ++i) rt.send(p, i);
        QVERIFY(rt.waitIdle(10000));
        QCOMPARE(n.load(), 1000);
    }
};

QTEST_APPLESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
