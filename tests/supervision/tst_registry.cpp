// Registry (§6): unique/duplicate keys, removal on exit, listeners, dispatch, partitions, via names.
#include "runtime/fn_actor.h"
#include "runtime/runtime.h"
#include "runtime/supervision/registry.h"
#include "runtime/supervision/supervisor.h"
#include "tests/supervision/test_worker.h"
#include <QtTest>
#include <set>

using namespace canopy;
using namespace canopy::test;

namespace {

using Job = std::function<void(Context&)>;

/// A process that runs the jobs it is sent (so tests can act "as" a process).
Pid agent(Runtime& rt, bool trap = false) {
    SpawnOptions o;
    o.trapExit = trap;
    return rt.spawn(std::make_unique<FnActor>([](Context& c, Message& m) {
                        if (auto* j = m.tryAs<Job>())
                            (*j)(c);
                    }),
                    o);
}

void run(Runtime& rt, const Pid& p, Job j) {
    rt.send(p, Message::of(std::move(j)));
    rt.runUntilIdle();
}

/// A listener: records events.
Pid listener(Runtime& rt, std::shared_ptr<std::vector<std::string>> out) {
    Pid p = rt.spawn(std::make_unique<FnActor>([out](Context&, Message& m) {
        if (auto* e = m.tryAs<RegistryEvent>())
            out->push_back((e->kind == RegistryEvent::Kind::Register ? "register:" : "unregister:") + e->key);
    }));
    return p;
}

} // namespace

class TestRegistry : public QObject {
    Q_OBJECT
private slots:
    void uniqueKeys() {
        Runtime rt{RuntimeOptions{.manual = true}};
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Unique, .name = "reg"}).isOk());
        Pid a = agent(rt), b = agent(rt);
        RegisterResult ra, rb, again;
        run(rt, a, [&](Context& c) {
            ra = Registry::registerKey(c, "reg", "k", std::any(1));
            again = Registry::registerKey(c, "reg", "k", std::any(2));
        });
        run(rt, b, [&](Context& c) { rb = Registry::registerKey(c, "reg", "k", std::any(3)); });
        QVERIFY(ra.ok());
        QVERIFY(ra.pid.valid()); // the partition
        QCOMPARE(int(again.kind), int(RegisterResult::Kind::AlreadyRegistered));
        QCOMPARE(again.pid, a);
        QCOMPARE(int(rb.kind), int(RegisterResult::Kind::AlreadyRegistered));
        auto l = Registry::lookup(rt, "reg", "k");
        QCOMPARE(l.size(), std::size_t(1));
        QCOMPARE(l[0].pid, a);
        QCOMPARE(std::any_cast<int>(l[0].value), 1);
        QCOMPARE(Registry::keys(rt, "reg", a), std::vector<std::string>{"k"});
        // The owner exits: its partition removes the entry.
        rt.exit(a, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(Registry::lookup(rt, "reg", "k").empty());
        run(rt, b, [&](Context& c) { rb = Registry::registerKey(c, "reg", "k", std::any(3)); });
        QVERIFY(rb.ok());
    }

    void duplicateKeys() {
        Runtime rt{RuntimeOptions{.manual = true}};
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Duplicate, .name = "dup"}).isOk());
        Pid a = agent(rt), b = agent(rt);
        run(rt, a, [&](Context& c) {
            QVERIFY(Registry::registerKey(c, "dup", "topic", std::any(1)).ok());
            QVERIFY(Registry::registerKey(c, "dup", "topic", std::any(2)).ok());
        });
        run(rt, b, [&](Context& c) { QVERIFY(Registry::registerKey(c, "dup", "topic", std::any(3)).ok()); });
        QCOMPARE(Registry::lookup(rt, "dup", "topic").size(), std::size_t(3));
        QCOMPARE(Registry::count(rt, "dup"), std::size_t(3));
        QCOMPARE(Registry::countMatch(rt, "dup", "topic", [](const std::any& v) { return std::any_cast<int>(v) > 1; }),
                 std::size_t(2));
        QCOMPARE(Registry::countSelect(rt, "dup", [&](const RegistryEntry& e) { return e.pid == b; }), std::size_t(1));
        run(rt, a, [&](Context& c) { Registry::unregisterKey(c, "dup", "topic"); });
        QCOMPARE(Registry::lookup(rt, "dup", "topic").size(), std::size_t(1));
    }

    void listenersSeeRegisterAndUnregisterButNotExits() {
        Runtime rt{RuntimeOptions{.manual = true}};
        auto events = std::make_shared<std::vector<std::string>>();
        Pid l = listener(rt, events);
        QVERIFY(rt.registerName("lst", l));
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Unique, .name = "reg", .listeners = {"lst"}}).isOk());
        Pid a = agent(rt);
        run(rt, a, [&](Context& c) {
            Registry::registerKey(c, "reg", "x");
            Registry::unregisterKey(c, "reg", "x");
            Registry::unregisterKey(c, "reg", "missing"); // still ok, still notified
            Registry::registerKey(c, "reg", "y");
        });
        rt.exit(a, ExitReason::kill());
        rt.runUntilIdle();
        QCOMPARE(QString::fromStdString([&] {
                     std::string s;
                     for (auto& e : *events)
                         s += e + " ";
                     return s;
                 }()),
                 QString("register:x unregister:x unregister:missing register:y "));
    }

    void dispatchOncePerPartitionWithEntries() {
        Runtime rt{RuntimeOptions{.manual = true}};
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Duplicate, .name = "d4", .partitions = 4}).isOk());
        std::vector<Pid> agents;
        for (int i = 0; i < 8; ++i)
            agents.push_back(agent(rt));
        std::set<int> parts;
        for (const Pid& p : agents) {
            run(rt, p, [&](Context& c) { Registry::registerKey(c, "d4", "ev"); });
            parts.insert(int(std::hash<std::uint64_t>{}(p.id()) % 4));
        }
        int calls = 0;
        std::size_t seen = 0;
        Registry::dispatch(rt, "d4", "ev", [&](const std::vector<RegistryEntry>& es) {
            ++calls;
            QVERIFY(!es.empty());
            seen += es.size();
        });
        QCOMPARE(calls, int(parts.size()));
        QCOMPARE(seen, std::size_t(8));
        calls = 0;
        Registry::dispatch(rt, "d4", "none", [&](const std::vector<RegistryEntry>&) { ++calls; });
        QCOMPARE(calls, 0);
    }

    void partitionCrashKillsLinkedAndLosesUniqueEntries() {
        Runtime rt{RuntimeOptions{.manual = true}};
        Pid sup = Registry::start(rt, {.keys = RegistryKeys::Unique, .name = "reg"}).pid;
        Pid a = agent(rt);
        run(rt, a, [&](Context& c) { Registry::registerKey(c, "reg", "k"); });
        Pid part = Supervisor::whichChildren(rt, sup).at(0).pid;
        rt.exit(part, ExitReason::kill());
        rt.runUntilIdle();
        QVERIFY(!rt.alive(a)); // linked, not trapping: died killed
        QVERIFY(rt.alive(sup));
        QVERIFY(Supervisor::whichChildren(rt, sup).at(0).pid != part);
        QVERIFY(Registry::lookup(rt, "reg", "k").empty());
    }

    void updateValueOwnerOnly() {
        Runtime rt{RuntimeOptions{.manual = true}};
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Unique, .name = "reg"}).isOk());
        Pid a = agent(rt), b = agent(rt);
        std::optional<std::pair<std::any, std::any>> ra, rb;
        run(rt, a, [&](Context& c) {
            Registry::registerKey(c, "reg", "n", std::any(1));
            ra = Registry::updateValue(c, "reg", "n", [](const std::any& v) { return std::any(std::any_cast<int>(v) + 1); });
        });
        run(rt, b, [&](Context& c) { rb = Registry::updateValue(c, "reg", "n", [](const std::any& v) { return v; }); });
        QVERIFY(ra.has_value());
        QCOMPARE(std::any_cast<int>(ra->first), 2);
        QCOMPARE(std::any_cast<int>(ra->second), 1);
        QVERIFY(!rb.has_value());
    }

    void viaNames() {
        Runtime rt{RuntimeOptions{.manual = true}};
        auto log = std::make_shared<Log>();
        QVERIFY(Registry::start(rt, {.keys = RegistryKeys::Unique, .name = "via"}).isOk());
        ChildSpec c1;
        c1.id = "s1";
        c1.start = Registry::viaStart("via", "srv", [log] { return std::make_unique<TestWorker>(log, "srv"); });
        ChildSpec c2 = c1;
        c2.id = "s2";
        Pid sup = Supervisor::start(rt, SupervisorSpec{{}, {c1}}).pid;
        QVERIFY(sup.valid());
        Pid srv = Registry::whereisName(rt, "via", "srv");
        QVERIFY(srv.valid());
        ChildResult r = Supervisor::startChild(rt, sup, c2);
        QCOMPARE(int(r.error), int(SupervisorError::StartFailed));
        QCOMPARE(QString::fromStdString(r.reason.toString()), QString("{already_started,%1}").arg(QString::fromStdString(srv.toString())));
        QVERIFY(Registry::send(rt, "via", "srv", Message::of(Crash{ExitReason::error("boom")})));
        rt.runUntilIdle();
        Pid again = Registry::whereisName(rt, "via", "srv"); // restarted and re-registered
        QVERIFY(again.valid());
        QVERIFY(again != srv);
        QVERIFY(!Registry::send(rt, "via", "nobody", Message::of(1)));
    }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
