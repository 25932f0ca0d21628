// otp-semantics.md §3: gen_server start, call, loop and terminate.
#include "runtime/gen_server.h"
#include "runtime/process.h"
#include "test_actor.h"
#include <QtTest>
#include <chrono>
#include <future>

using namespace canopy;
using namespace canopy::test;

namespace {

/// A server whose behaviour each test sets: what init returns, what handleCall does.
class TestServer final : public GenServer {
public:
    std::shared_ptr<Log> log = std::make_shared<Log>();
    std::function<InitResult(Context&)> onInit = [](Context&) { return InitResult::ok(); };
    std::function<ServerResult(Context&, Message&, const From&)> onCall = [](Context&, Message& m, const From&) {
        return ServerResult::reply(Message::of(std::string("ok")));
    };
    bool trap = false;

    InitResult init(Context& ctx) override {
        if (trap) ctx.trapExit(true);
        return onInit(ctx);
    }
    ServerResult handleCall(Context& ctx, Message& m, const From& f) override {
        log->lines.push_back("call");
        return onCall(ctx, m, f);
    }
    ServerResult handleCast(Context&, Message& m) override {
        log->lines.push_back("cast " + m.as<std::string>());
        return ServerResult::noreply();
    }
    ServerResult handleInfo(Context& ctx, Message& m) override {
        if (auto* f = m.tryAs<From>()) {
            log->lines.push_back("late reply sent");
            ctx.reply(*f, Message::of(std::string("late")));
        } else if (m.is<ServerTimeout>()) log->lines.push_back("info timeout");
        else if (auto* e = m.tryAs<ExitMessage>()) log->lines.push_back("info EXIT " + e->reason.toString());
        else if (auto* s = m.tryAs<std::string>()) log->lines.push_back("info " + *s);
        else log->lines.push_back("info other");
        return ServerResult::noreply();
    }
    ServerResult handleContinue(Context&, Message& c) override {
        log->lines.push_back("continue " + c.as<std::string>());
        return ServerResult::noreply();
    }
    void terminate(Context&, const ExitReason& r) override { log->lines.push_back("terminate " + r.toString()); }
};

std::unique_ptr<TestServer> server(std::shared_ptr<Log> log) {
    auto s = std::make_unique<TestServer>();
    s->log = std::move(log);
    return s;
}

} // namespace

class TestGenServer : public QObject {
    Q_OBJECT
private slots:
    // ---- 3.1 start
    void initOk() {
        Runtime rt({.manual = true});
        auto r = rt.startServer(server(std::make_shared<Log>()));
        QVERIFY(r.isOk());
        QVERIFY(rt.alive(r.pid));
    }
    void initOkWithTimeoutFiresWithoutMessages() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onInit = [](Context&) { return InitResult::ok(50); };
        auto r = rt.startServer(std::move(s));
        rt.advanceClock(49);
        QVERIFY(log->lines.empty());
        rt.advanceClock(1);
        QCOMPARE(log->lines, std::vector<std::string>{"info timeout"});
    }
    void initTimeoutCancelledByMessage() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onInit = [](Context&) { return InitResult::ok(50); };
        auto r = rt.startServer(std::move(s));
        rt.advanceClock(10);
        rt.send(r.pid, std::string("hello"));
        rt.advanceClock(100);
        QCOMPARE(log->lines, std::vector<std::string>{"info hello"});
    }
    void initContinueRunsBeforeQueuedMessages() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onInit = [](Context& c) {
            c.send(c.self(), std::string("queued"));
            return InitResult::continueWith(Message::of(std::string("c")));
        };
        rt.startServer(std::move(s));
        rt.runUntilIdle();
        QCOMPARE(log->lines, (std::vector<std::string>{"continue c", "info queued"}));
    }
    void initIgnore() {
        Runtime rt({.manual = true});
        auto s = server(std::make_shared<Log>());
        s->onInit = [](Context&) { return InitResult::ignore(); };
        auto r = rt.startServer(std::move(s), {.name = "srv"});
        QCOMPARE(int(r.kind), int(StartResult::Kind::Ignore));
        rt.runUntilIdle();
        QVERIFY(!rt.whereis("srv").valid()); // name unregistered
        QCOMPARE(rt.processCount(), std::size_t(0));
    }
    void initStop() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onInit = [](Context&) { return InitResult::stop(ExitReason::error("bad_config")); };
        auto r = rt.startServer(std::move(s), {.name = "srv"});
        QCOMPARE(int(r.kind), int(StartResult::Kind::Error));
        QCOMPARE(r.error.toString(), std::string("bad_config"));
        QVERIFY(!rt.whereis("srv").valid());
        QVERIFY(log->lines.empty()); // terminate does not run for a failed init
    }
    void initRaises() {
        Runtime rt({.manual = true});
        auto s = server(std::make_shared<Log>());
        s->onInit = [](Context&) -> InitResult { throw std::runtime_error("no db"); };
        auto r = rt.startServer(std::move(s));
        QCOMPARE(int(r.kind), int(StartResult::Kind::Error));
        QCOMPARE(r.error.toString(), std::string("no db"));
    }
    void initStopKillsNonTrappingLinkedCaller() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l), caller2 = spawnTest(rt, l);
        StartResult r1, r2;
        run(rt, caller, [&](Context& c) {
            auto s = server(std::make_shared<Log>());
            s->onInit = [](Context&) { return InitResult::stop(ExitReason::error("e")); };
            r1 = c.startLink(std::move(s));
        });
        run(rt, caller2, [&](Context& c) {
            auto s = server(std::make_shared<Log>());
            s->onInit = [](Context&) { return InitResult::stop(ExitReason::normal()); };
            r2 = c.startLink(std::move(s));
        });
        QCOMPARE(r1.error.toString(), std::string("e"));
        QCOMPARE(fate(rt, caller), std::string("e"));
        QCOMPARE(r2.error.toString(), std::string("normal"));
        QVERIFY(rt.alive(caller2));
    }
    void nameTakenIsAlreadyStarted() {
        Runtime rt({.manual = true});
        auto a = rt.startServer(server(std::make_shared<Log>()), {.name = "srv"});
        auto b = rt.startServer(server(std::make_shared<Log>()), {.name = "srv"});
        QVERIFY(a.isOk());
        QCOMPARE(int(b.kind), int(StartResult::Kind::Error));
        QCOMPARE(b.pid, a.pid);
        QCOMPARE(b.error.toString(), "{already_started," + a.pid.toString() + "}");
    }

    // ---- 3.2 call
    void callReplies() {
        Runtime rt({.manual = true});
        auto r = rt.startServer(server(std::make_shared<Log>()));
        CallOutcome o = rt.call(r.pid, Message::of(1));
        QVERIFY(o.ok());
        QCOMPARE(o.reply.as<std::string>(), std::string("ok"));
    }
    void callDefaultTimeoutExitsCaller() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [](Context&, Message&, const From&) { return ServerResult::noreply(); };
        auto srv = rt.startServer(std::move(s));
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        run(rt, caller, [&](Context& c) { c.call(srv.pid, Message::of(1), 5000, [](Context&, Message) {}); });
        rt.advanceClock(4999);
        QVERIFY(rt.alive(caller));
        rt.advanceClock(1);
        QCOMPARE(fate(rt, caller), "{timeout,{gen_server,call,[" + srv.pid.toString() + ",5000]}}");
        QVERIFY(rt.alive(srv.pid)); // the server is not told
    }
    void callDeadServerIsNoproc() {
        Runtime rt({.manual = true});
        auto srv = rt.startServer(server(std::make_shared<Log>()));
        rt.exit(srv.pid, ExitReason::kill());
        rt.runUntilIdle();
        CallOutcome o = rt.call(srv.pid, Message::of(1), 100);
        QCOMPARE(int(o.error), int(CallOutcome::Error::Noproc));
        QCOMPARE(o.exitReason.toString(), "{noproc,{gen_server,call,[" + srv.pid.toString() + ",100]}}");
    }
    void serverDiesDuringCall_data() {
        QTest::addColumn<QString>("reason");
        QTest::newRow("boom") << "boom";
        QTest::newRow("normal") << "normal";
    }
    void serverDiesDuringCall() {
        QFETCH(QString, reason);
        Runtime rt({.manual = true});
        auto s = server(std::make_shared<Log>());
        std::string r = reason.toStdString();
        s->onCall = [r](Context&, Message&, const From&) { return ServerResult::stop(ExitReason::parse(r)); };
        auto srv = rt.startServer(std::move(s));
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        run(rt, caller, [&](Context& c) { c.call(srv.pid, Message::of(1), 5000, [](Context&, Message) {}); });
        QCOMPARE(fate(rt, caller), "{" + r + ",{gen_server,call,[" + srv.pid.toString() + ",5000]}}");
    }
    void callingSelf() {
        Runtime rt({.manual = true});
        auto l = std::make_shared<Log>();
        Pid p = spawnTest(rt, l);
        run(rt, p, [&](Context& c) { c.call(c.self(), Message::of(1), 5000, [](Context&, Message) {}); });
        QCOMPARE(fate(rt, p), "{calling_self,{gen_server,call,[" + p.toString() + ",5000]}}");
    }
    void lateReplyIsDropped() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        // Reply 200 ms later through a deferred reply.
        s->onCall = [](Context& c, Message&, const From& f) {
            c.sendAfter(200, c.self(), Message::of(f));
            return ServerResult::noreply();
        };
        auto srv = rt.startServer(std::move(s));
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        std::string outcome;
        run(rt, caller, [&](Context& c) {
            c.tryCall(srv.pid, Message::of(1), 100, [&](Context&, CallOutcome o) {
                outcome = o.ok() ? "reply" : o.exitReason.toString();
            });
        });
        rt.advanceClock(100);
        QCOMPARE(outcome, "{timeout,{gen_server,call,[" + srv.pid.toString() + ",100]}}");
        QVERIFY(log->contains("call")); // the server still executed the request
        // The server now replies late (its timer hands it the From, it answers).
        rt.advanceClock(200);
        QVERIFY(log->contains("late reply sent"));
        QVERIFY(l->lines.empty()); // no stray message at the caller
        QVERIFY(rt.alive(caller));
    }

    // ---- 3.3 loop and terminate
    void stopWithReplyRunsTerminateFirst() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [log](Context&, Message&, const From&) {
            return ServerResult::stop(ExitReason::normal(), Message::of(std::string("bye")));
        };
        auto srv = rt.startServer(std::move(s));
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        run(rt, caller, [&](Context& c) {
            c.call(srv.pid, Message::of(1), 5000, [log](Context&, Message m) {
                log->lines.push_back("caller got " + m.as<std::string>());
            });
        });
        QCOMPARE(log->lines, (std::vector<std::string>{"call", "terminate normal", "caller got bye"}));
        QCOMPARE(fate(rt, srv.pid), std::string("normal"));
    }
    void stopWithoutReply() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [](Context&, Message&, const From&) { return ServerResult::stop(ExitReason::error("done")); };
        auto srv = rt.startServer(std::move(s));
        CallOutcome o = rt.call(srv.pid, Message::of(1), 100);
        QCOMPARE(int(o.error), int(CallOutcome::Error::ServerExited));
        QCOMPARE(o.serverReason.toString(), std::string("done"));
        QVERIFY(log->contains("terminate done"));
    }
    void noreplyThenReplyLater() {
        Runtime rt({.manual = true});
        auto s = server(std::make_shared<Log>());
        auto pending = std::make_shared<From>();
        s->onCall = [pending](Context& c, Message&, const From& f) {
            *pending = f;
            return ServerResult::noreply();
        };
        auto srv = rt.startServer(std::move(s));
        std::string got;
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        run(rt, caller, [&](Context& c) {
            c.call(srv.pid, Message::of(1), 1000, [&](Context&, Message m) { got = m.as<std::string>(); });
        });
        Pid helper = rt.spawnFn([pending](Context& c, Message&) { c.reply(*pending, Message::of(std::string("later"))); });
        rt.send(helper, 1);
        rt.runUntilIdle();
        QCOMPARE(got, std::string("later"));
    }
    void castAlwaysOk() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto srv = rt.startServer(server(log));
        rt.cast(srv.pid, Message::of(std::string("x")));
        rt.runUntilIdle();
        QCOMPARE(log->lines, std::vector<std::string>{"cast x"});
        rt.exit(srv.pid, ExitReason::kill());
        rt.runUntilIdle();
        rt.cast(srv.pid, Message::of(std::string("y"))); // to a dead target: still fine
        rt.runUntilIdle();
    }
    void otherMessagesGoToHandleInfo() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto srv = rt.startServer(server(log));
        rt.send(srv.pid, std::string("hi"));
        rt.runUntilIdle();
        QCOMPARE(log->lines, std::vector<std::string>{"info hi"});
    }
    void parentExitInterceptedWhenTrapping() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto l = std::make_shared<Log>();
        Pid parent = spawnTest(rt, l, true);
        StartResult r;
        run(rt, parent, [&](Context& c) {
            auto s = server(log);
            s->trap = true;
            r = c.startLink(std::move(s));
        });
        run(rt, parent, [](Context& c) { c.exit(ExitReason::shutdown()); });
        QCOMPARE(log->lines, std::vector<std::string>{"terminate shutdown"});
        QCOMPARE(fate(rt, r.pid), std::string("shutdown"));
    }
    void exitFromNonParentGoesToHandleInfo() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->trap = true;
        auto srv = rt.startServer(std::move(s));
        auto l = std::make_shared<Log>();
        Pid other = spawnTest(rt, l);
        run(rt, other, [&](Context& c) { c.exit(srv.pid, ExitReason::error("meh")); });
        QCOMPARE(log->lines, std::vector<std::string>{"info EXIT meh"});
        QVERIFY(rt.alive(srv.pid));
    }
    void noTerminateWhenNotTrapping() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto l = std::make_shared<Log>();
        Pid parent = spawnTest(rt, l, true);
        StartResult r;
        run(rt, parent, [&](Context& c) { r = c.startLink(server(log)); });
        run(rt, parent, [](Context& c) { c.exit(ExitReason::shutdown()); });
        QVERIFY(log->lines.empty());
        QCOMPARE(fate(rt, r.pid), std::string("shutdown"));
    }
    void noTerminateOnKill() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->trap = true;
        auto srv = rt.startServer(std::move(s));
        rt.exit(srv.pid, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(log->lines.empty());
        QCOMPARE(fate(rt, srv.pid), std::string("killed"));
    }
    void parentExitsNormal() {
        Runtime rt({.manual = true});
        auto plainLog = std::make_shared<Log>(), trapLog = std::make_shared<Log>();
        auto l = std::make_shared<Log>();
        Pid parent = spawnTest(rt, l, true);
        StartResult plain, trapping;
        run(rt, parent, [&](Context& c) {
            plain = c.startLink(server(plainLog));
            auto s = server(trapLog);
            s->trap = true;
            trapping = c.startLink(std::move(s));
        });
        run(rt, parent, [](Context& c) { c.exit(ExitReason::normal()); });
        QVERIFY(rt.alive(plain.pid)); // a non-trapping server keeps running
        QCOMPARE(trapLog->lines, std::vector<std::string>{"terminate normal"});
        QCOMPARE(fate(rt, trapping.pid), std::string("normal"));
    }
    void exceptionInCallbackRunsTerminate() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [](Context&, Message&, const From&) -> ServerResult { throw std::runtime_error("oops"); };
        auto srv = rt.startServer(std::move(s));
        CallOutcome o = rt.call(srv.pid, Message::of(1), 100);
        QCOMPARE(o.serverReason.toString(), std::string("oops"));
        QCOMPARE(log->lines, (std::vector<std::string>{"call", "terminate oops"}));
    }
    void replyWithTimeout() {
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [](Context&, Message&, const From&) {
            return ServerResult::reply(Message::of(std::string("r"))).withTimeout(30);
        };
        auto srv = rt.startServer(std::move(s));
        QVERIFY(rt.call(srv.pid, Message::of(1), 10).ok());
        rt.advanceClock(29);
        QCOMPARE(log->lines, std::vector<std::string>{"call"});
        rt.advanceClock(1);
        QCOMPARE(log->lines, (std::vector<std::string>{"call", "info timeout"}));
    }
    void callLeavesNoMonitorBehind() {
        // The call's monitor lives in the server's table only while the call waits.
        Runtime rt({.manual = true});
        auto srv = rt.startServer(server(std::make_shared<Log>()));
        auto l = std::make_shared<Log>();
        Pid caller = spawnTest(rt, l);
        int replies = 0;
        std::function<void(Context&)> next = [&](Context& c) {
            c.call(srv.pid, Message::of(1), 5000, [&](Context& c2, Message m) {
                QCOMPARE(m.as<std::string>(), std::string("ok"));
                if (++replies < 20) next(c2);
            });
        };
        run(rt, caller, next);
        QCOMPARE(replies, 20);
        QVERIFY(srv.pid.process()->extras->monitoredBy.empty());
        QVERIFY(rt.info(caller)->monitors.empty());
        // The server's exit after the calls sends the caller nothing.
        rt.exit(srv.pid, ExitReason::error("boom"));
        rt.runUntilIdle();
        QVERIFY(l->lines.empty());
        QVERIFY(rt.alive(caller));
    }
    void callTimesOutAfterFasterCallsInThreadedMode() {
        // Threaded mode arms one wait tick per process and re-arms it lazily: a call whose deadline
        // is later than the tick left by earlier calls times out when its own deadline passes, and
        // one whose deadline is earlier arms its own tick.
        Runtime rt({.workers = 2});
        auto quiet = server(std::make_shared<Log>());
        quiet->onCall = [](Context&, Message&, const From&) { return ServerResult::noreply(); };
        Pid silent = rt.startServer(std::move(quiet)).pid;
        Pid echo = rt.startServer(server(std::make_shared<Log>())).pid;
        for (auto [fastTimeout, slowTimeout] : {std::pair<int, int>{50, 200}, std::pair<int, int>{5000, 100}}) {
            std::promise<std::pair<std::string, std::int64_t>> result;
            auto t0 = std::chrono::steady_clock::now();
            Pid caller = rt.spawn(std::make_unique<TestActor>(std::make_shared<Log>(), false));
            rt.send(caller, Cmd{[&, fast = fastTimeout, slow = slowTimeout](Context& c) {
                auto left = std::make_shared<int>(10);
                auto step = std::make_shared<std::function<void(Context&)>>();
                *step = [&, fast, slow, left, step](Context& c1) {
                    if ((*left)-- > 0) {
                        c1.call(echo, Message::of(1), fast, [step](Context& c2, Message) { (*step)(c2); });
                        return;
                    }
                    t0 = std::chrono::steady_clock::now();
                    c1.tryCall(silent, Message::of(2), slow, [&, step](Context&, CallOutcome o) {
                        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
                        result.set_value({o.ok() ? "reply" : o.exitReason.toString(), ms.count()});
                        *step = nullptr;
                    });
                };
                (*step)(c);
            }});
            auto f = result.get_future();
            QVERIFY2(f.wait_for(std::chrono::seconds(4)) == std::future_status::ready, "the call never timed out");
            auto [what, ms] = f.get();
            QCOMPARE(what, "{timeout,{gen_server,call,[" + silent.toString() + "," + std::to_string(slowTimeout) + "]}}");
            QVERIFY2(ms >= slowTimeout, ("timed out after " + std::to_string(ms) + " ms").c_str());
        }
    }
    void callFromPlainThreadIsNoProcess() {
        // A plain thread's call spawns no proxy process; a late reply to a timed-out call is not
        // taken for the reply to the next one.
        Runtime rt({.manual = true});
        auto log = std::make_shared<Log>();
        auto s = server(log);
        s->onCall = [](Context& c, Message& m, const From& f) {
            if (m.as<int>() == 1) { // answer in 200 ms
                c.sendAfter(200, c.self(), Message::of(f));
                return ServerResult::noreply();
            }
            return ServerResult::reply(Message::of(std::string("fresh")));
        };
        auto srv = rt.startServer(std::move(s));
        const std::size_t before = rt.processCount();
        const std::int64_t t0 = rt.clock().nowNs();
        CallOutcome first = rt.call(srv.pid, Message::of(1), 100);
        QCOMPARE(first.exitReason.toString(), "{timeout,{gen_server,call,[" + srv.pid.toString() + ",100]}}");
        QCOMPARE(rt.clock().nowNs() - t0, std::int64_t(100'000'000)); // the clock moved to the deadline
        QCOMPARE(rt.processCount(), before);
        rt.advanceClock(200);
        QVERIFY(log->contains("late reply sent"));
        CallOutcome second = rt.call(srv.pid, Message::of(2), 100);
        QVERIFY(second.ok());
        QCOMPARE(second.reply.as<std::string>(), std::string("fresh"));
        QCOMPARE(rt.processCount(), before);
    }
    void callFromPlainThreadTimesOutInThreadedMode() {
        Runtime rt({.workers = 2});
        auto s = server(std::make_shared<Log>());
        s->onCall = [](Context& c, Message& m, const From& f) {
            if (m.as<int>() == 1) {
                c.sendAfter(150, c.self(), Message::of(f));
                return ServerResult::noreply();
            }
            return ServerResult::reply(Message::of(std::string("fresh")));
        };
        auto srv = rt.startServer(std::move(s));
        auto t0 = std::chrono::steady_clock::now();
        CallOutcome first = rt.call(srv.pid, Message::of(1), 50);
        QVERIFY(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(50));
        QCOMPARE(int(first.error), int(CallOutcome::Error::Timeout));
        // Keep calling until the late reply (150 ms) has certainly arrived: it must be skipped.
        while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(250)) {
            CallOutcome o = rt.call(srv.pid, Message::of(2), 5000);
            QVERIFY(o.ok());
            QCOMPARE(o.reply.as<std::string>(), std::string("fresh"));
        }
        rt.exit(srv.pid, ExitReason::error("boom"));
        ExitReason why;
        QVERIFY(rt.awaitExit(srv.pid, 5000, &why));
        QCOMPARE(why.toString(), std::string("boom"));
        CallOutcome dead = rt.call(srv.pid, Message::of(2), 100);
        QCOMPARE(int(dead.error), int(CallOutcome::Error::Noproc));
    }
    void callFromPlainThreadInThreadedMode() {
        Runtime rt({.workers = 2});
        auto srv = rt.startServer(server(std::make_shared<Log>()));
        for (int i = 0; i < 100; ++i) {
            CallOutcome o = rt.call(srv.pid, Message::of(i), 5000);
            QVERIFY(o.ok());
        }
    }
};

QTEST_APPLESS_MAIN(TestGenServer)
#include "tst_gen_server.moc"
