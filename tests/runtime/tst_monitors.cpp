// otp-semantics.md §2: monitors.
#include "runtime/process.h"
#include "test_actor.h"
#include <QtTest>

using namespace canopy;
using namespace canopy::test;

class TestMonitors : public QObject {
    Q_OBJECT
private slots:
    void eachMonitorIsIndependent() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw);
        run(rt, w, [&](Context& c) {
            c.monitor(target);
            c.monitor(target);
        });
        run(rt, target, [](Context& c) { c.exit(ExitReason::error("boom")); });
        QCOMPARE(lw->lines, (std::vector<std::string>{"DOWN " + target.toString() + " boom",
                                                       "DOWN " + target.toString() + " boom"}));
        QVERIFY(rt.alive(w)); // monitors are one-way
    }
    void downCarriesTheRef() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid target = spawnTest(rt, l);
        MonitorRef got{}, made{};
        Pid w = rt.spawnFn([&](Context& c, Message& m) {
            if (m.is<int>()) made = c.monitor(target);
            if (auto* d = m.tryAs<DownMessage>()) got = d->ref;
        });
        rt.send(w, 1);
        rt.runUntilIdle();
        rt.exit(target, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(made.value != 0);
        QCOMPARE(got.value, made.value);
    }
    void deadTargetGivesNoproc() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw);
        run(rt, target, [](Context& c) { c.exit(ExitReason::normal()); });
        run(rt, w, [&](Context& c) { c.monitor(target); });
        QCOMPARE(lw->lines, std::vector<std::string>{"DOWN " + target.toString() + " noproc"});
    }
    void byRegisteredName() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw);
        QVERIFY(rt.registerName("db", target));
        run(rt, w, [&](Context& c) {
            c.monitor(std::string_view("db"));
            c.monitor(std::string_view("nobody"));
        });
        QCOMPARE(lw->lines, std::vector<std::string>{"DOWN nobody noproc"});
        rt.exit(target, ExitReason::error("boom"));
        rt.runUntilIdle();
        QCOMPARE(lw->lines.size(), std::size_t(2));
        QCOMPARE(lw->lines[1], "DOWN " + target.toString() + " boom");
    }
    void demonitorFlushDropsQueuedDown() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw);
        auto ref = std::make_shared<MonitorRef>();
        run(rt, w, [&](Context& c) { *ref = c.monitor(target); });
        // The target dies; the DOWN is queued at w, which demonitors with flush before reading it.
        rt.send(target, Cmd{[](Context& c) { c.exit(ExitReason::error("boom")); }});
        bool result = false, second = true;
        rt.send(w, Cmd{[&](Context& c) {
            result = c.demonitor(*ref, true);
            second = c.demonitor(*ref, true);
        }});
        rt.runUntilIdle();
        QVERIFY(result);
        QVERIFY(!second); // unknown monitor -> false (OTP's [info])
        QVERIFY(lw->lines.empty());
    }
    void demonitorFlushDropsAStashedDown_data() {
        QTest::addColumn<bool>("flush");
        QTest::newRow("flush") << true;
        QTest::newRow("no flush (control)") << false;
    }
    void demonitorFlushDropsAStashedDown() {
        // The DOWN is already a message when demonitor runs: w is in a selective receive for "go",
        // so the DOWN it takes from its mailbox is set aside (stashed). The receive's handler then
        // demonitors. With flush the stashed DOWN is dropped; without it, it is delivered (as in OTP).
        QFETCH(bool, flush);
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw);
        auto ref = std::make_shared<MonitorRef>();
        bool demonitored = true;
        run(rt, w, [&](Context& c) {
            *ref = c.monitor(target);
            c.receive([](const Message& m) { return m.is<std::string>() && m.as<std::string>() == "go"; }, -1,
                      [&, ref](Context& c2, Message) { demonitored = c2.demonitor(*ref, flush); });
        });
        run(rt, target, [](Context& c) { c.exit(ExitReason::error("boom")); });
        QVERIFY(!rt.alive(target));
        QVERIFY(lw->lines.empty());                                 // stashed, not handled
        QCOMPARE(rt.info(w)->mailboxLength, std::int64_t(1));      // the DOWN waits, set aside
        rt.send(w, std::string("go"));
        rt.runUntilIdle();
        QVERIFY(!demonitored); // the monitor had fired already (OTP's [info] answers false)
        if (flush) {
            QVERIFY2(lw->lines.empty(), lw->lines.empty() ? "" : lw->lines.front().c_str());
            QCOMPARE(rt.info(w)->mailboxLength, std::int64_t(0));
        } else {
            QCOMPARE(lw->lines, std::vector<std::string>{"DOWN " + target.toString() + " boom"});
        }
    }
    void monitorsIgnoreTrapExit() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lw = std::make_shared<Log>();
        Pid target = spawnTest(rt, l), w = spawnTest(rt, lw, true);
        run(rt, w, [&](Context& c) { c.monitor(target); });
        run(rt, target, [](Context& c) { c.exit(ExitReason::shutdown()); });
        QCOMPARE(lw->lines, std::vector<std::string>{"DOWN " + target.toString() + " shutdown"});
    }
    void selectiveReceiveKeepsOtherMessagesInOrder() {
        Runtime rt({.manual = true});
        auto seen = std::make_shared<std::vector<std::string>>();
        Pid p = rt.spawnFn([seen](Context& c, Message& m) {
            if (m.is<int>()) {
                c.receive([](const Message& x) { return x.is<std::string>() && x.as<std::string>() == "wanted"; }, -1,
                          [seen](Context&, Message x) { seen->push_back("got " + x.as<std::string>()); });
                return;
            }
            seen->push_back(m.as<std::string>());
        });
        rt.send(p, 1);
        rt.send(p, std::string("a"));
        rt.send(p, std::string("b"));
        rt.send(p, std::string("wanted"));
        rt.send(p, std::string("c"));
        rt.runUntilIdle();
        QCOMPARE(*seen, (std::vector<std::string>{"got wanted", "a", "b", "c"}));
    }
    void selectiveReceiveTimesOut() {
        Runtime rt({.manual = true});
        auto seen = std::make_shared<std::vector<std::string>>();
        Pid p = rt.spawnFn([seen](Context& c, Message& m) {
            if (m.is<int>()) {
                c.receive([](const Message&) { return false; }, 100,
                          [seen](Context&, Message x) { seen->push_back(x ? "msg" : "timeout"); });
                return;
            }
            seen->push_back(m.as<std::string>());
        });
        rt.send(p, 1);
        rt.send(p, std::string("a"));
        rt.runUntilIdle();
        QVERIFY(seen->empty());
        rt.advanceClock(99);
        QVERIFY(seen->empty());
        rt.advanceClock(1);
        QCOMPARE(*seen, (std::vector<std::string>{"timeout", "a"}));
    }
    void manyOutstandingMonitorsAreIndexed() {
        // Past a few monitors the tables are indexed by ref: every DOWN still finds its monitor,
        // demonitored ones give none, and no target keeps a watcher entry behind.
        Runtime rt({.manual = true});
        auto lw = std::make_shared<Log>();
        Pid w = spawnTest(rt, lw);
        std::vector<Pid> targets;
        for (int i = 0; i < 100; ++i) targets.push_back(spawnTest(rt, std::make_shared<Log>()));
        std::vector<MonitorRef> refs;
        run(rt, w, [&](Context& c) {
            for (const Pid& t : targets) refs.push_back(c.monitor(t));
        });
        QCOMPARE(rt.info(w)->monitors.size(), std::size_t(100));
        run(rt, w, [&](Context& c) {
            for (std::size_t i = 0; i < targets.size(); i += 2) QVERIFY(c.demonitor(refs[i]));
        });
        for (std::size_t i = 0; i < targets.size(); i += 2)
            QVERIFY(targets[i].process()->extras->monitoredBy.empty());
        for (std::size_t i = targets.size(); i-- > 0;) rt.exit(targets[i], ExitReason::error("boom"));
        rt.runUntilIdle();
        std::vector<std::string> expected;
        for (std::size_t i = targets.size(); i-- > 0;)
            if (i % 2 == 1) expected.push_back("DOWN " + targets[i].toString() + " boom");
        QCOMPARE(lw->lines, expected);
        QVERIFY(rt.info(w)->monitors.empty());
    }
    void watcherExitRemovesItsMonitorsFromTargets() {
        Runtime rt({.manual = true});
        Pid w = spawnTest(rt, std::make_shared<Log>());
        std::vector<Pid> targets;
        for (int i = 0; i < 20; ++i) targets.push_back(spawnTest(rt, std::make_shared<Log>()));
        run(rt, w, [&](Context& c) {
            for (const Pid& t : targets) c.monitor(t);
        });
        QCOMPARE(targets[7].process()->extras->monitoredBy.size(), std::size_t(1));
        rt.exit(w, ExitReason::kill());
        rt.runUntilIdle();
        for (const Pid& t : targets) QVERIFY(t.process()->extras->monitoredBy.empty());
    }
};

QTEST_APPLESS_MAIN(TestMonitors)
#include "tst_monitors.moc"
