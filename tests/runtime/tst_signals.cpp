// otp-semantics.md §1: exit signals and links, one test per row of the signal table.
#include "test_actor.h"
#include <QtTest>

using namespace canopy;
using namespace canopy::test;

class TestSignals : public QObject {
    Q_OBJECT
private slots:
    void normalViaLinkIgnoredWhenNotTrapping() {
        Runtime rt({.manual = true});
        auto la = std::make_shared<Log>(), lb = std::make_shared<Log>();
        Pid a = spawnTest(rt, la), b = spawnTest(rt, lb);
        run(rt, a, [&](Context& c) { c.link(b); });
        run(rt, a, [](Context& c) { c.exit(ExitReason::normal()); });
        QCOMPARE(fate(rt, a), std::string("normal"));
        QVERIFY(rt.alive(b));
        QVERIFY(lb->lines.empty());
    }
    void normalViaLinkDeliveredWhenTrapping() {
        Runtime rt({.manual = true});
        auto la = std::make_shared<Log>(), lb = std::make_shared<Log>();
        Pid a = spawnTest(rt, la), b = spawnTest(rt, lb, true);
        run(rt, a, [&](Context& c) { c.link(b); });
        run(rt, a, [](Context& c) { c.exit(ExitReason::normal()); });
        QVERIFY(rt.alive(b));
        QCOMPARE(lb->lines, std::vector<std::string>{"EXIT " + a.toString() + " normal"});
    }
    void exitNormalFromOtherProcess() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid sender = spawnTest(rt, l), plain = spawnTest(rt, l), trapper = spawnTest(rt, lt, true);
        run(rt, sender, [&](Context& c) {
            c.exit(plain, ExitReason::normal());
            c.exit(trapper, ExitReason::normal());
        });
        QVERIFY(rt.alive(plain));
        QVERIFY(rt.alive(trapper));
        // From is the sender of exit/2 even though they are not linked.
        QCOMPARE(lt->lines, std::vector<std::string>{"EXIT " + sender.toString() + " normal"});
    }
    void killFromExit2IsUntrappable() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid plain = spawnTest(rt, l), trapper = spawnTest(rt, l, true);
        rt.exit(plain, ExitReason::kill());
        rt.exit(trapper, ExitReason::kill());
        rt.runUntilIdle();
        QCOMPARE(fate(rt, plain), std::string("killed"));
        QCOMPARE(fate(rt, trapper), std::string("killed"));
        QVERIFY(l->lines.empty());
    }
    void killTakesEffectBeforeQueuedMessages() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        for (int i = 0; i < 100; ++i) rt.send(p, std::string("m"));
        rt.exit(p, ExitReason::kill());
        rt.runUntilIdle();
        QCOMPARE(fate(rt, p), std::string("killed"));
        QVERIFY(l->lines.empty());
    }
    void killViaLinkIsTrappableAndPropagatesAsKill() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid a = spawnTest(rt, l), plain = spawnTest(rt, l), trapper = spawnTest(rt, lt, true);
        run(rt, a, [&](Context& c) {
            c.link(plain);
            c.link(trapper);
        });
        run(rt, a, [](Context& c) { c.exit(ExitReason::kill()); }); // a calls exit(kill) itself
        QCOMPARE(fate(rt, a), std::string("kill"));
        QCOMPARE(fate(rt, plain), std::string("kill"));
        QVERIFY(rt.alive(trapper));
        QCOMPARE(lt->lines, std::vector<std::string>{"EXIT " + a.toString() + " kill"});
    }
    void otherReasonsPropagate_data() {
        QTest::addColumn<QString>("reason");
        QTest::newRow("shutdown") << "shutdown";
        QTest::newRow("shutdown-detail") << "{shutdown,x}";
        QTest::newRow("boom") << "boom";
    }
    void otherReasonsPropagate() {
        QFETCH(QString, reason);
        const std::string r = reason.toStdString();
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid a = spawnTest(rt, l), b = spawnTest(rt, l), c2 = spawnTest(rt, l), t = spawnTest(rt, lt, true);
        run(rt, a, [&](Context& c) { c.link(b); });
        run(rt, b, [&](Context& c) { c.link(c2); }); // a - b - c2 chain
        run(rt, a, [&](Context& c) { c.link(t); });
        run(rt, a, [&](Context& c) { c.exit(ExitReason::parse(r)); });
        QCOMPARE(fate(rt, a), r);
        QCOMPARE(fate(rt, b), r);
        QCOMPARE(fate(rt, c2), r); // propagated with the same reason
        QVERIFY(rt.alive(t));
        QCOMPARE(lt->lines, std::vector<std::string>{"EXIT " + a.toString() + " " + r});
    }
    void linksAndMonitorsOfKilledProcessSeeKilled() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid victim = spawnTest(rt, l), t = spawnTest(rt, lt, true);
        run(rt, t, [&](Context& c) {
            c.link(victim);
            c.monitor(victim);
        });
        rt.exit(victim, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(lt->contains("EXIT " + victim.toString() + " killed"));
        QVERIFY(lt->contains("DOWN " + victim.toString() + " killed"));
    }
    void exitSelfNormalTerminates() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        run(rt, p, [](Context& c) { c.exit(c.self(), ExitReason::normal()); });
        QCOMPARE(fate(rt, p), std::string("normal"));
    }
    void exitSelfNormalWhenTrappingIsAMessage() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l, true);
        run(rt, p, [](Context& c) { c.exit(c.self(), ExitReason::normal()); });
        QVERIFY(rt.alive(p));
        QCOMPARE(l->lines, std::vector<std::string>{"EXIT " + p.toString() + " normal"});
    }
    void linkToDeadProcess() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid dead = spawnTest(rt, l), plain = spawnTest(rt, l), trapper = spawnTest(rt, lt, true);
        run(rt, dead, [](Context& c) { c.exit(ExitReason::normal()); });
        run(rt, plain, [&](Context& c) { c.link(dead); });
        run(rt, trapper, [&](Context& c) { c.link(dead); });
        QCOMPARE(fate(rt, plain), std::string("noproc"));
        QVERIFY(rt.alive(trapper));
        QCOMPARE(lt->lines, std::vector<std::string>{"EXIT " + dead.toString() + " noproc"});
    }
    void linkIsBidirectionalAndIdempotent() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), la = std::make_shared<Log>();
        Pid a = spawnTest(rt, la, true), b = spawnTest(rt, l);
        run(rt, a, [&](Context& c) {
            c.link(b);
            c.link(b);
        });
        QCOMPARE(rt.info(a)->links, std::vector<std::uint64_t>{b.id()});
        QCOMPARE(rt.info(b)->links, std::vector<std::uint64_t>{a.id()});
        run(rt, b, [](Context& c) { c.exit(ExitReason::error("boom")); });
        QCOMPARE(la->lines, std::vector<std::string>{"EXIT " + b.toString() + " boom"}); // exactly one
    }
    void unlinkStopsSignalsAndFlushes() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), la = std::make_shared<Log>();
        Pid a = spawnTest(rt, la, true), b = spawnTest(rt, l);
        run(rt, a, [&](Context& c) { c.link(b); });
        // b dies while a is busy; a unlinks before it reads the queued EXIT: it must not see it.
        rt.send(b, Cmd{[](Context& c) { c.exit(ExitReason::error("boom")); }});
        rt.send(a, Cmd{[&](Context& c) { c.unlink(b); }});
        rt.runUntilIdle();
        QVERIFY(!rt.alive(b));
        QVERIFY(rt.alive(a));
        QVERIFY(la->lines.empty());
        QVERIFY(rt.info(a)->links.empty());
    }
    void unlinkFlushesAStashedExit_data() {
        QTest::addColumn<bool>("unlink");
        QTest::newRow("unlink") << true;
        QTest::newRow("no unlink (control)") << false;
    }
    void unlinkFlushesAStashedExit() {
        // The EXIT is already a message when unlink runs: a (trapping) is in a selective receive for
        // "go", so the EXIT it takes from its mailbox is set aside. The receive's handler unlinks:
        // the stashed EXIT from b is dropped (unlink_flush); without the unlink it is delivered.
        QFETCH(bool, unlink);
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), la = std::make_shared<Log>(), lc = std::make_shared<Log>();
        Pid a = spawnTest(rt, la, true), b = spawnTest(rt, l), c = spawnTest(rt, lc);
        run(rt, a, [&](Context& ctx) {
            ctx.link(b);
            ctx.link(c);
            ctx.receive([](const Message& m) { return m.is<std::string>() && m.as<std::string>() == "go"; }, -1,
                        [&, unlink](Context& ctx2, Message) {
                            if (unlink) ctx2.unlink(b);
                        });
        });
        run(rt, c, [](Context& ctx) { ctx.exit(ExitReason::error("other")); });
        run(rt, b, [](Context& ctx) { ctx.exit(ExitReason::error("boom")); });
        QVERIFY(!rt.alive(b) && !rt.alive(c));
        QVERIFY(la->lines.empty());                            // both stashed, not handled
        QCOMPARE(rt.info(a)->mailboxLength, std::int64_t(2));
        rt.send(a, std::string("go"));
        rt.runUntilIdle();
        QVERIFY(rt.alive(a));
        // Only the unlinked peer's EXIT goes; the other stays, in order.
        if (unlink)
            QCOMPARE(la->lines, std::vector<std::string>{"EXIT " + c.toString() + " other"});
        else
            QCOMPARE(la->lines, (std::vector<std::string>{"EXIT " + c.toString() + " other", "EXIT " + b.toString() + " boom"}));
    }
    void exceptionBecomesExitReason() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>(), lt = std::make_shared<Log>();
        Pid p = spawnTest(rt, l), t = spawnTest(rt, lt, true);
        run(rt, t, [&](Context& c) { c.link(p); });
        run(rt, p, [](Context&) { throw std::runtime_error("disk on fire"); });
        QCOMPARE(fate(rt, p), std::string("disk on fire"));
        QCOMPARE(lt->lines, std::vector<std::string>{"EXIT " + p.toString() + " disk on fire"});
    }
    void sendToDeadPidIsNoop() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        run(rt, p, [](Context& c) { c.exit(ExitReason::normal()); });
        rt.send(p, std::string("late"));
        rt.runUntilIdle();
        QVERIFY(l->lines.empty());
        QCOMPARE(rt.processCount(), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestSignals)
#include "tst_signals.moc"
