// Timers, names, observability, the event sink, pids.
#include "runtime/manual_clock.h"
#include "test_actor.h"
#include <QtTest>
#include <mutex>

using namespace canopy;
using namespace canopy::test;

namespace {
/// Records event types (thread-safe).
class RecordingSink final : public EventSink {
public:
    void onEvent(const RuntimeEvent& e) noexcept override {
        std::lock_guard g(m);
        events.push_back(e.type);
        if (e.reason) reasons.push_back(e.reason->toString());
        if (!e.text.empty()) texts.emplace_back(e.text);
    }
    int count(RuntimeEventType t) {
        std::lock_guard g(m);
        return int(std::count(events.begin(), events.end(), t));
    }
    std::mutex m;
    std::vector<RuntimeEventType> events;
    std::vector<std::string> reasons, texts;
};
} // namespace

class TestRuntimeBasics : public QObject {
    Q_OBJECT
private slots:
    void pidFormat() {
        Runtime rt({.manual = true});
        Pid p = rt.spawnFn([](Context&, Message&) {});
        QCOMPARE(p.toString(), "<0." + std::to_string(p.id()) + ".0>");
        QCOMPARE(Pid().toString(), std::string("undefined"));
        Pid q = rt.spawnFn([](Context&, Message&) {});
        QVERIFY(q.id() > p.id());
    }
    void sendAfterAndCancel() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        rt.sendAfter(100, p, Message::of(std::string("a")));
        TimerRef t = rt.sendAfter(50, p, Message::of(std::string("b")));
        rt.advanceClock(10);
        QVERIFY(rt.cancelTimer(t));
        QVERIFY(!rt.cancelTimer(t));
        rt.advanceClock(89);
        QVERIFY(l->lines.empty());
        rt.advanceClock(1);
        QCOMPARE(l->lines, std::vector<std::string>{"msg a"});
    }
    void timersFireInDeadlineOrder() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        rt.sendAfter(30, p, Message::of(std::string("3")));
        rt.sendAfter(10, p, Message::of(std::string("1")));
        rt.sendAfter(20, p, Message::of(std::string("2")));
        rt.advanceClock(100);
        QCOMPARE(l->lines, (std::vector<std::string>{"msg 1", "msg 2", "msg 3"}));
    }
    void namesRegisterWhereisSendAndRelease() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        bool first = false, second = true;
        run(rt, p, [&](Context& c) {
            first = c.registerName("worker");
            second = c.registerName("other"); // already has a name
        });
        QVERIFY(first);
        QVERIFY(!second);
        QCOMPARE(rt.whereis("worker"), p);
        QCOMPARE(rt.info(p)->registeredName, std::string("worker"));
        QVERIFY(rt.sendNamed("worker", Message::of(std::string("hi"))));
        QVERIFY(!rt.sendNamed("nobody", Message::of(std::string("hi"))));
        rt.runUntilIdle();
        QCOMPARE(l->lines, std::vector<std::string>{"msg hi"});
        Pid q = spawnTest(rt, l);
        QVERIFY(!rt.registerName("worker", q)); // taken
        rt.exit(p, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(!rt.whereis("worker").valid()); // released at exit
        QVERIFY(rt.registerName("worker", q));
    }
    void mailboxLengthAndHandledCounters() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        for (int i = 0; i < 1000; ++i) rt.send(p, std::string("x"));
        QCOMPARE(rt.info(p)->mailboxLength, std::int64_t(1000));
        rt.runUntilIdle();
        auto info = rt.info(p);
        QCOMPARE(info->mailboxLength, std::int64_t(0));
        QVERIFY(info->messagesHandled >= 1000);
        QCOMPARE(l->lines.size(), std::size_t(1000));
        QVERIFY(info->memoryBytes > 0);
        QCOMPARE(int(info->status), int(ProcessStatus::Waiting));
    }
    void forEachProcessWalksLiveTable() {
        Runtime rt({.manual = true});
        for (int i = 0; i < 100; ++i) rt.spawnFn([](Context&, Message&) {});
        rt.runUntilIdle();
        int n = 0;
        rt.forEachProcess([&](const ProcessInfo& i) { n += i.pid != 0; });
        QCOMPARE(n, 100);
        QCOMPARE(rt.processCount(), std::size_t(100));
    }
    void processTableAcrossPages() {
        // The table indexes ids in pages of 4,096: walks, counts and lookups stay right while pages
        // fill, empty out and are freed, and ids handed out but never inserted (a name taken) do
        // not keep a page alive.
        Runtime rt({.manual = true});
        std::vector<Pid> pids;
        for (int i = 0; i < 10'000; ++i) pids.push_back(rt.spawnFn([](Context&, Message&) {}));
        QVERIFY(rt.registerName("taken", pids[0]));
        for (int i = 0; i < 100; ++i) QVERIFY(!rt.spawnFn([](Context&, Message&) {}, {.name = "taken"}).valid());
        rt.runUntilIdle();
        QCOMPARE(rt.processCount(), std::size_t(10'000));
        for (std::size_t i = 0; i < pids.size(); ++i)
            if (i % 3 != 0) rt.exit(pids[i], ExitReason::kill());
        rt.runUntilIdle();
        std::size_t walked = 0;
        rt.forEachProcessCounters([&](const ProcessCounters&) { ++walked; });
        QCOMPARE(rt.processCount(), std::size_t(3'334));
        QCOMPARE(walked, std::size_t(3'334));
        QCOMPARE(rt.findPid(pids[3].id()).id(), pids[3].id());
        QVERIFY(!rt.findPid(pids[4].id()).valid());
        for (std::size_t i = 0; i < pids.size(); i += 3) rt.exit(pids[i], ExitReason::kill());
        rt.runUntilIdle();
        QCOMPARE(rt.processCount(), std::size_t(0));
        std::size_t left = 0;
        rt.forEachProcess([&](const ProcessInfo&) { ++left; });
        QCOMPARE(left, std::size_t(0));
        Pid late = rt.spawnFn([](Context&, Message&) {});
        rt.runUntilIdle();
        QCOMPARE(rt.findPid(late.id()).id(), late.id());
        QCOMPARE(rt.processCount(), std::size_t(1));
    }
    void viewAndCounterWalksAgreeWithInfo() {
        Runtime rt({.manual = true});
        auto meta = std::make_shared<ChildMeta>();
        meta->childId = "db";
        meta->kind = ProcessKind::Supervisor;
        meta->restartsInWindow = 2;
        auto l = std::make_shared<Log>();
        Pid a = spawnTest(rt, l);
        Pid b = rt.spawnFn([](Context&, Message&) {}, {.meta = meta});
        run(rt, a, [&](Context& c) {
            c.link(b);
            c.monitor(b);
            c.registerName("alpha");
        });
        int views = 0, counters = 0;
        rt.forEachProcessView([&](const ProcessView& v) {
            const ProcessInfo i = *rt.info(rt.findPid(v.pid));
            ++views;
            QCOMPARE(std::string(v.registeredName), i.registeredName);
            QCOMPARE(std::vector<std::uint64_t>(v.links.begin(), v.links.end()), i.links);
            QCOMPARE(std::vector<std::uint64_t>(v.monitors.begin(), v.monitors.end()), i.monitors);
            QCOMPARE(v.meta != nullptr, i.hasMeta);
            QCOMPARE(v.messagesHandled, i.messagesHandled);
            if (v.pid == b.id()) {
                QCOMPARE(v.meta->childId, std::string("db"));
                QCOMPARE(v.restartsInWindow, 2);
            }
        });
        rt.forEachProcessCounters([&](const ProcessCounters& c) {
            ++counters;
            QCOMPARE(c.messagesHandled, rt.info(rt.findPid(c.pid))->messagesHandled);
        });
        QCOMPARE(views, 2);
        QCOMPARE(counters, 2);
        QVERIFY(rt.viewProcess(a, [&](const ProcessView& v) { QCOMPARE(std::string(v.registeredName), std::string("alpha")); }));
        rt.exit(b, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(!rt.viewProcess(b, [](const ProcessView&) { QFAIL("a dead process has no view"); }));
    }
    void mailboxLengthCountsSetAsideMessages() {
        // OTP's message_queue_len counts messages a selective receive skipped: so does Canopy's.
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        run(rt, p, [](Context& c) {
            c.receive([](const Message& m) { return m.is<int>(); }, -1,
                      [](Context&, Message) {});
        });
        for (int i = 0; i < 3; ++i) rt.send(p, std::string("skipped"));
        rt.runUntilIdle();
        QCOMPARE(rt.info(p)->mailboxLength, std::int64_t(3));
        std::int64_t counted = -1;
        rt.forEachProcessCounters([&](const ProcessCounters& c) { if (c.pid == p.id()) counted = c.mailboxLength; });
        QCOMPARE(counted, std::int64_t(3));
        rt.send(p, 1); // matches: the receive completes, the skipped three are then handled in order
        rt.runUntilIdle();
        QCOMPARE(rt.info(p)->mailboxLength, std::int64_t(0));
        QCOMPARE(l->lines.size(), std::size_t(3));
    }
    void metaIsPublished() {
        Runtime rt({.manual = true});
        auto meta = std::make_shared<ChildMeta>();
        meta->childId = "db";
        meta->restart = "transient";
        meta->kind = ProcessKind::Worker;
        Pid p = rt.spawnFn([](Context&, Message&) {}, {.meta = meta});
        auto i = rt.info(p);
        QVERIFY(i->hasMeta);
        QCOMPARE(i->childId, std::string("db"));
        QCOMPARE(i->restart, std::string("transient"));
    }
    void eventSinkSeesLifecycle() {
        Runtime rt({.manual = true});
        RecordingSink sink;
        rt.setEventSink(&sink);
        auto l = std::make_shared<Log>();
        Pid a = spawnTest(rt, l, true), b = spawnTest(rt, l);
        run(rt, a, [&](Context& c) {
            c.link(b);
            c.monitor(b);
            c.registerName("a");
        });
        rt.exit(b, ExitReason::error("boom"));
        rt.runUntilIdle();
        QCOMPARE(sink.count(RuntimeEventType::Spawn), 2);
        QCOMPARE(sink.count(RuntimeEventType::Link), 1);
        QCOMPARE(sink.count(RuntimeEventType::Monitor), 1);
        QCOMPARE(sink.count(RuntimeEventType::NameRegistered), 1);
        QCOMPARE(sink.count(RuntimeEventType::Exit), 1);
        QVERIFY(std::find(sink.reasons.begin(), sink.reasons.end(), "boom") != sink.reasons.end());
        rt.setEventSink(nullptr);
        rt.spawnFn([](Context&, Message&) {});
        rt.runUntilIdle();
        QCOMPARE(sink.count(RuntimeEventType::Spawn), 2); // detached
    }
    void manualClockDrivesNow() {
        Runtime rt({.manual = true});
        std::int64_t t0 = rt.clock().nowNs();
        rt.advanceClock(1500);
        QCOMPARE(rt.clock().nowNs() - t0, std::int64_t(1'500'000'000));
        QVERIFY(rt.manualClock() != nullptr);
    }
    void runtimeDestructionKillsEverything() {
        auto l = std::make_shared<Log>();
        std::weak_ptr<Log> weak = l;
        {
            Runtime rt({.workers = 2});
            for (int i = 0; i < 1000; ++i) rt.spawn(std::make_unique<TestActor>(l, i % 2 == 0));
        }
        l.reset();
        QVERIFY(weak.expired()); // every actor (and what it held) was destroyed
    }
};

QTEST_APPLESS_MAIN(TestRuntimeBasics)
#include "tst_runtime_basics.moc"
