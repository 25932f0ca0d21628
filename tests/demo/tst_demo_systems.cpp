// The three classic systems (examples/): each starts with the expected tree (names, strategies,
// kinds), does work (counters increase), survives chaos (root alive, restarts happened) and shuts
// down cleanly. Threaded runtime; every wait is a condition (a count of work, never an amount per
// second) re-checked on runtime events, with a deadline that fails naming what was awaited and seen.
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
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>

using namespace canopy;
using namespace canopy::demo;

namespace {

/// Counts supervisor restarts (ChildRestarted) and give-ups reported by the runtime, and wakes
/// waiters on every runtime event (the demos change state with spawns, exits, links and restarts).
class RestartCounter : public EventSink {
public:
    void onEvent(const RuntimeEvent& e) noexcept override {
        if (e.type == RuntimeEventType::ChildRestarted)
            restarts.fetch_add(1, std::memory_order_relaxed);
        else if (e.type == RuntimeEventType::SupervisorGaveUp)
            giveUps.fetch_add(1, std::memory_order_relaxed);
        {
            std::lock_guard g(m_mutex);
            ++m_events;
        }
        m_changed.notify_all();
    }
    /// Waits until pred holds: re-checked after runtime events (at least every 50 ms, for counters
    /// that move without one). False when timeoutMs passed first.
    bool waitFor(const std::function<bool()>& pred, int timeoutMs) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        std::unique_lock lock(m_mutex);
        while (true) {
            lock.unlock();
            if (pred())
                return true;
            lock.lock();
            if (std::chrono::steady_clock::now() >= deadline)
                return false;
            const std::uint64_t seen = m_events;
            m_changed.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)),
                                 [&] { return m_events != seen; });
        }
    }
    std::atomic<int> restarts{0};
    std::atomic<int> giveUps{0};

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_events = 0;
};

/// How long a condition may take before the test fails: a bound for a broken system, not a speed
/// goal (the work needed is a count, never "so much in so many seconds").
constexpr int kDeadlineMs = 60000;

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

/// Fails the test unless `cond` comes true within the deadline; `what` (a QString expression,
/// evaluated at the failure) says what was awaited and what was seen.
#define CANOPY_WAIT(world, cond, what)                                                                        \
    do {                                                                                                      \
        if (!(world).waitFor([&] { return bool(cond); }))                                                     \
            QFAIL(qPrintable(QString("timed out after %1 s waiting for ").arg(kDeadlineMs / 1000) + (what))); \
    } while (false)

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
    /// Waits for pred (see RestartCounter::waitFor), at most kDeadlineMs.
    bool waitFor(const std::function<bool()>& pred, int timeoutMs = kDeadlineMs) { return sink.waitFor(pred, timeoutMs); }
    /// Chaos until `killsWanted` workers were killed and restarts followed, then checks the root
    /// survived and the system still makes progress.
    void survivesChaos(double rate, std::uint64_t killsWanted, const char* progressCounter) {
        const int restartsBefore = sink.restarts.load();
        Pid root = system->root();
        startChaos(rate);
        CANOPY_WAIT(*this, kills->load() >= killsWanted && sink.restarts.load() > restartsBefore,
                    QString("%1 kills and a restart (saw %2 kills, %3 restarts)")
                        .arg(killsWanted).arg(kills->load()).arg(sink.restarts.load() - restartsBefore));
        stopChaos();
        QVERIFY2(rt.alive(root), "the root supervisor gave up under chaos");
        QCOMPARE(rt.whereis(system->rootName()), root);
        QCOMPARE(sink.giveUps.load(), 0);
        // The system still works after the storm.
        const std::uint64_t before = system->counter(progressCounter);
        CANOPY_WAIT(*this, system->counter(progressCounter) > before + 5,
                    QString("%1 to advance by 6 after the chaos (from %2, now %3)")
                        .arg(progressCounter).arg(before).arg(system->counter(progressCounter)));
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
        CANOPY_WAIT(w, countChildren(w.tree(), "Todo.ServerSupervisor", "Todo.Server:init/1") >= 2,
                    QString("two Todo.Server children (saw %1)").arg(countChildren(w.tree(), "Todo.ServerSupervisor", "Todo.Server:init/1")));
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
        CANOPY_WAIT(w, w.system->counter("entries_added") >= 20 && w.system->counter("db_writes") >= 20,
                    QString("20 entries added and written (saw %1, %2)")
                        .arg(w.system->counter("entries_added")).arg(w.system->counter("db_writes")));
        const auto files = [&] {
            return std::distance(std::filesystem::directory_iterator(cfg.dataDir), std::filesystem::directory_iterator{});
        };
        CANOPY_WAIT(w, files() >= 2, QString("two list files in the data dir (saw %1)").arg(files()));

        w.survivesChaos(5, 15, "entries_added");
        QVERIFY(w.system->counter("db_worker_starts") + w.system->counter("registry_starts") +
                    w.system->counter("cache_starts") >
                5);

        // Clean shutdown: every process of the tree is gone; only the runtime remains.
        Pid root0 = w.system->root();
        w.system->stop();
        QVERIFY(!w.rt.alive(root0));
        CANOPY_WAIT(w, w.rt.processCount() == 0, QString("no process left (saw %1)").arg(w.rt.processCount()));
    }

    void streams() {
        World w("streams");
        DemoConfig cfg;
        cfg.size = 4;
        std::string error;
        QVERIFY2(w.system->start(w.rt, cfg, &error), error.c_str());

        // The transient StreamInfoFetcher discovers the streams, starts them and exits normally.
        CANOPY_WAIT(w,
                    !w.tree().findNamed("StreamInfoFetcher") &&
                        countChildren(w.tree(), "Streams.Supervisor", "Stream.Supervisor:init/1") == 4,
                    QString("the fetcher gone and 4 streams (saw %1)")
                        .arg(countChildren(w.tree(), "Streams.Supervisor", "Stream.Supervisor:init/1")));
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
        CANOPY_WAIT(w, w.system->counter("items_processed") >= 200,
                    QString("200 items processed (saw %1)").arg(w.system->counter("items_processed")));

        w.survivesChaos(5, 15, "items_processed");
        QVERIFY(w.system->counter("fetcher_starts") > 4);
    }

    void hangman() {
        World w("hangman");
        DemoConfig cfg;
        cfg.size = 4;
        std::string error;
        QVERIFY2(w.system->start(w.rt, cfg, &error), error.c_str());

        CANOPY_WAIT(w,
                    countChildren(w.tree(), "Hangman.GameSupervisor", "Hangman.Game:init/1") >= 2 &&
                        countChildren(w.tree(), "Hangman.PlayerSupervisor", "Hangman.Player:init/1") >= 2,
                    QString("two games and two players (saw %1, %2)")
                        .arg(countChildren(w.tree(), "Hangman.GameSupervisor", "Hangman.Game:init/1"))
                        .arg(countChildren(w.tree(), "Hangman.PlayerSupervisor", "Hangman.Player:init/1")));
        ProcessTree t = w.tree();
        const ProcessInfo* root = t.findNamed("Hangman.Supervisor");
        QVERIFY(root);
        QCOMPARE(QString::fromStdString(root->strategy), QString("one_for_one"));
        QCOMPARE(childTitles(t, "Hangman.Supervisor"),
                 QStringList({"Hangman.Dictionary", "Hangman.GameSupervisor (DynamicSupervisor)",
                              "Hangman.PlayerSupervisor (DynamicSupervisor)"}));

        // Work: games are played to the end (won or lost) and new pairs replace them.
        const auto games = [&] { return w.system->counter("games_won") + w.system->counter("games_lost"); };
        CANOPY_WAIT(w, games() >= 4, QString("4 games played to the end (saw %1)").arg(games()));
        QVERIFY(w.system->counter("matches_started") > 4);

        w.survivesChaos(5, 15, "guesses");
    }

    void treeRendering() {
        World w("todo");
        DemoConfig cfg;
        cfg.size = 8;
        QVERIFY(w.system->start(w.rt, cfg));
        CANOPY_WAIT(w, countChildren(w.tree(), "Todo.PoolSupervisor", "Todo.DatabaseWorker:init/1") == 8,
                    QString("8 database workers (saw %1)").arg(countChildren(w.tree(), "Todo.PoolSupervisor", "Todo.DatabaseWorker:init/1")));
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
