// The three classic systems (examples/): each starts with the expected tree (names, strategies,
// kinds), does work (counters increase), survives chaos (root alive, restarts happened) and shuts
// down cleanly. Threaded runtime; every wait is a condition with a deadline.
#include "examples/common/chaos_monkey.h"
#include "examples/common/demo_system.h"
#include "examples/common/process_tree.h"
#include "examples/todo/todo_system.h"
#include "runtime/event_sink.h"
#include "runtime/runtime.h"
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

using namespace canopy;
using namespace canopy::demo;

namespace {

/// Counts supervisor restarts (ChildRestarted) and give-ups reported by the runtime.
class RestartCounter : public EventSink {
public:
    void onEvent(const RuntimeEvent& e) noexcept override {
        if (e.type == RuntimeEventType::ChildRestarted)
            restarts.fetch_add(1, std::memory_order_relaxed);
        else if (e.type == RuntimeEventType::SupervisorGaveUp)
            giveUps.fetch_add(1, std::memory_order_relaxed);
    }
    std::atomic<int> restarts{0};
    std::atomic<int> giveUps{0};
};

/// Polls pred every 20 ms until it holds or timeoutMs passed.
bool waitFor(const std::function<bool()>& pred, int timeoutMs = 8000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline)
            return pred();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

/// The children of the process registered as name, as "title" strings in start order.
QStringList childTitles(const ProcessTree& tree, const char* name) {
    QStringList out;
    const ProcessInfo* p = tree.findNamed(name);
    if (!p)
        return out;
    for (const ProcessInfo* c : tree.children(p->pid))
        out << QString::fromStdString(ProcessTree::title(*c));
    return out;
}

/// Children of the named process whose initial call is `call`.
int countChildren(const ProcessTree& tree, const char* name, const std::string& call) {
    const ProcessInfo* p = tree.findNamed(name);
    if (!p)
        return -1;
    int n = 0;
    for (const ProcessInfo* c : tree.children(p->pid))
        n += c->initialCall == call ? 1 : 0;
    return n;
}

RuntimeOptions twoWorkers() {
    RuntimeOptions o;
    o.workers = 2;
    return o;
}

/// One test's world: the restart counter outlives the runtime, which outlives the system.
struct World {
    RestartCounter sink;
    Runtime rt{twoWorkers()};
    std::unique_ptr<DemoSystem> system;
    std::shared_ptr<std::atomic<std::uint64_t>> kills = std::make_shared<std::atomic<std::uint64_t>>(0);
    Pid chaos;

    explicit World(const char* name) : system(DemoSystem::create(name)) { rt.setEventSink(&sink); }
    ~World() {
        stopChaos();
        if (system)
            system->stop();
        rt.setEventSink(nullptr);
    }
    void startChaos(double rate) { chaos = ChaosMonkey::start(rt, system->rootName(), rate, 99, kills); }
    void stopChaos() {
        if (chaos) {
            rt.exit(chaos, ExitReason::kill());
            rt.awaitExit(chaos, 5000);
            chaos = Pid();
        }
    }
    ProcessTree tree() const { return ProcessTree::capture(rt); }
    /// Chaos for about seconds, then checks the root survived and restarts happened.
    void survivesChaos(double rate, int seconds, const char* progressCounter) {
        int restartsBefore = sink.restarts.load();
        Pid root = system->root();
        startChaos(rate);
        QVERIFY(waitFor([&] { return kills->load() >= static_cast<std::uint64_t>(rate * seconds); }, seconds * 1000 + 8000));
        stopChaos();
        QVERIFY2(rt.alive(root), "the root supervisor gave up under chaos");
        QCOMPARE(rt.whereis(system->rootName()), root);
        QVERIFY2(sink.restarts.load() > restartsBefore, "no restart happened");
        // The system still works after the storm.
        std::uint64_t before = system->counter(progressCounter);
        QVERIFY(waitFor([&] { return system->counter(progressCounter) > before + 5; }));
    }
};

} // namespace

class TestDemoSystems : public QObject {
    Q_OBJECT
private slots:
    void todo() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        World w("todo");
        DemoConfig cfg;
        cfg.dataDir = dir.path().toStdString();
        cfg.size = 3;
        std::string error;
        QVERIFY2(w.system->start(w.rt, cfg, &error), error.c_str());

        // Shape: names, strategies, kinds.
        QVERIFY(waitFor([&] { return countChildren(w.tree(), "Todo.ServerSupervisor", "Todo.Server:init/1") >= 2; }));
        ProcessTree t = w.tree();
        const ProcessInfo* root = t.findNamed("Todo.Supervisor");
        QVERIFY(root);
        QCOMPARE(root->pid, w.system->root().id());
        QCOMPARE(QString::fromStdString(root->strategy), QString("rest_for_one"));
        QCOMPARE(childTitles(t, "Todo.Supervisor"),
                 QStringList({"Todo.ProcessRegistry", "Todo.SystemSupervisor (one_for_one)"}));
        QCOMPARE(childTitles(t, "Todo.SystemSupervisor"),
                 QStringList({"Todo.PoolSupervisor (one_for_one)", "Todo.ServerSupervisor (DynamicSupervisor)", "Todo.Cache"}));
        QCOMPARE(childTitles(t, "Todo.PoolSupervisor"),
                 QStringList({"Todo.DatabaseWorker.1", "Todo.DatabaseWorker.2", "Todo.DatabaseWorker.3"}));
        QVERIFY(t.findNamed("Todo.ServerSupervisor")->kind == ProcessKind::DynamicSupervisor);
        for (const ProcessInfo* s : t.children(t.findNamed("Todo.ServerSupervisor")->pid)) {
            QVERIFY(s->kind == ProcessKind::Worker);
            QCOMPARE(QString::fromStdString(s->restart), QString("temporary"));
        }
        QVERIFY(t.findNamed("Todo.Driver"));
        std::string text = t.render(root->pid);
        QVERIFY2(text.find("Todo.SystemSupervisor (one_for_one)") != std::string::npos, text.c_str());

        // Work: lists are edited and persisted to files.
        QVERIFY(waitFor([&] { return w.system->counter("entries_added") >= 20 && w.system->counter("db_writes") >= 20; }));
        QVERIFY(waitFor([&] {
            return std::distance(std::filesystem::directory_iterator(cfg.dataDir), std::filesystem::directory_iterator{}) >= 2;
        }));

        w.survivesChaos(5, 3, "entries_added");
        QVERIFY(w.system->counter("db_worker_starts") + w.system->counter("registry_starts") +
                    w.system->counter("cache_starts") >
                5);

        // Clean shutdown: every process of the tree is gone; only the runtime remains.
        Pid root0 = w.system->root();
        w.system->stop();
        QVERIFY(!w.rt.alive(root0));
        QVERIFY(waitFor([&] { return w.rt.processCount() == 0; }));
    }

    void streams() {
        World w("streams");
        DemoConfig cfg;
        cfg.size = 4;
        std::string error;
        QVERIFY2(w.system->start(w.rt, cfg, &error), error.c_str());

        // The transient StreamInfoFetcher discovers the streams, starts them and exits normally.
        QVERIFY(waitFor([&] {
            ProcessTree t = w.tree();
            return !t.findNamed("StreamInfoFetcher") && countChildren(t, "Streams.Supervisor", "Stream.Supervisor:init/1") == 4;
        }));
        ProcessTree t = w.tree();
        const ProcessInfo* root = t.findNamed("Streams.RootSupervisor");
        QVERIFY(root);
        QCOMPARE(QString::fromStdString(root->strategy), QString("one_for_all"));
        QCOMPARE(childTitles(t, "Streams.RootSupervisor"), QStringList({"Streams.Supervisor (DynamicSupervisor)"}));
        for (const ProcessInfo* s : t.children(t.findNamed("Streams.Supervisor")->pid)) {
            QVERIFY(s->kind == ProcessKind::Supervisor);
            QCOMPARE(QString::fromStdString(s->strategy), QString("one_for_all"));
            QStringList kids;
            for (const ProcessInfo* k : t.children(s->pid))
                kids << QString::fromStdString(ProcessTree::title(*k));
            QCOMPARE(kids, QStringList({"Stream.Fetcher", "Stream.Processor"}));
        }
        QCOMPARE(w.system->counter("discovery_runs"), std::uint64_t(1));

        // Work: items flow from fetchers to processors.
        QVERIFY(waitFor([&] { return w.system->counter("items_processed") >= 200; }));

        w.survivesChaos(5, 3, "items_processed");
        QVERIFY(w.system->counter("fetcher_starts") > 4);
    }

    void hangman() {
        World w("hangman");
        DemoConfig cfg;
        cfg.size = 4;
        std::string error;
        QVERIFY2(w.system->start(w.rt, cfg, &error), error.c_str());

        QVERIFY(waitFor([&] {
            ProcessTree t = w.tree();
            return countChildren(t, "Hangman.GameSupervisor", "Hangman.Game:init/1") >= 2 &&
                   countChildren(t, "Hangman.PlayerSupervisor", "Hangman.Player:init/1") >= 2;
        }));
        ProcessTree t = w.tree();
        const ProcessInfo* root = t.findNamed("Hangman.Supervisor");
        QVERIFY(root);
        QCOMPARE(QString::fromStdString(root->strategy), QString("one_for_one"));
        QCOMPARE(childTitles(t, "Hangman.Supervisor"),
                 QStringList({"Hangman.Dictionary", "Hangman.GameSupervisor (DynamicSupervisor)",
                              "Hangman.PlayerSupervisor (DynamicSupervisor)"}));

        // Work: games are played to the end (won or lost) and new pairs replace them.
        QVERIFY(waitFor([&] { return w.system->counter("games_won") + w.system->counter("games_lost") >= 4; }, 15000));
        QVERIFY(w.system->counter("matches_started") > 4);

        w.survivesChaos(5, 3, "guesses");
    }

    void treeRendering() {
        World w("todo");
        DemoConfig cfg;
        cfg.size = 8;
        QVERIFY(w.system->start(w.rt, cfg));
        QVERIFY(waitFor([&] { return countChildren(w.tree(), "Todo.PoolSupervisor", "Todo.DatabaseWorker:init/1") == 8; }));
        ProcessTree t = w.tree();
        std::string text = t.render(w.system->root().id(), 5);
        // Eight workers of one parent with distinct ids are listed; the render starts at the root.
        QVERIFY2(text.rfind("Todo.Supervisor (rest_for_one)", 0) == 0, text.c_str());
        QVERIFY2(text.find("Todo.DatabaseWorker.8") != std::string::npos, text.c_str());
        QVERIFY2(text.find("└─ Todo.Cache") != std::string::npos, text.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDemoSystems)
#include "tst_demo_systems.moc"
