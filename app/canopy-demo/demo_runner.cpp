#include "app/canopy-demo/demo_runner.h"
#include "examples/common/chaos_monkey.h"
#include "examples/common/demo_system.h"
#include "examples/common/process_tree.h"
#include "runtime/runtime.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>
#ifdef CANOPY_DEMO_HAVE_PROBE
#include "introspection/probe/probe.h"
#endif

namespace canopy::app {

namespace {

// Set by the signal handlers, polled by the main thread (lock-free atomics are async-signal-safe).
std::atomic<bool> g_stopRequested{false};
std::atomic<bool> g_treeRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onStopSignal(int sig) {
    g_stopRequested.store(true);
    std::signal(sig, SIG_DFL); // a second Ctrl-C ends a shutdown that hangs
}
extern "C" void onTreeSignal(int) { g_treeRequested.store(true); }

void installSignalHandlers() {
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = onStopSignal;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sa.sa_handler = onTreeSignal;
    sigaction(SIGUSR1, &sa, nullptr);
}

void printTree(const Runtime& rt, const demo::DemoSystem& system, double atSeconds) {
    demo::ProcessTree tree = demo::ProcessTree::capture(rt);
    std::string out = "--- " + system.name() + " tree at " + std::to_string(static_cast<long long>(atSeconds * 10) / 10) + "." +
                      std::to_string(static_cast<long long>(atSeconds * 10) % 10) + "s (" + std::to_string(tree.size()) +
                      " processes) ---\n";
    out += tree.render(system.root().id());
    std::string outside;
    for (const ProcessInfo* p : tree.roots())
        if (p->pid != system.root().id())
            outside += (outside.empty() ? "" : ", ") + demo::ProcessTree::label(*p) + " " + Pid::format(p->pid);
    if (!outside.empty())
        out += "outside the tree: " + outside + "\n";
    std::cout << out << std::flush;
}

void printCounters(const demo::DemoSystem& system, std::uint64_t chaosKills) {
    std::string out = system.name() + ":";
    for (const demo::DemoCounter& c : system.counters())
        out += " " + c.name + "=" + std::to_string(c.value);
    out += " chaos_kills=" + std::to_string(chaosKills) + "\n";
    std::cout << out << std::flush;
}

std::string formatRate(double rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", rate);
    return buf;
}

} // namespace

int DemoRunner::run() {
    const DemoOptions& o = m_options;
    std::unique_ptr<demo::DemoSystem> system = demo::DemoSystem::create(o.system);
    if (!system) {
        std::cerr << "canopy-demo: error: unknown system '" << o.system << "'\n";
        return 2;
    }
    installSignalHandlers();
    RuntimeOptions runtimeOptions;
    runtimeOptions.workers = o.workers;
    Runtime rt(runtimeOptions);

#ifdef CANOPY_DEMO_HAVE_PROBE
    std::unique_ptr<introspection::Probe> probe;
    if (o.port >= 0 || !o.portFile.empty() || !o.token.empty() || !o.flightDir.empty() || o.metricsPort >= 0) {
        introspection::ProbeOptions po;
        po.port = static_cast<std::uint16_t>(o.port < 0 ? 0 : o.port);
        po.portFile = o.portFile;
        po.token = o.token;
        po.tokenFile = o.tokenFile;
        po.allowCommands = o.allowCommands;
        if (o.metricsPort >= 0) po.metricsPort = static_cast<std::uint16_t>(o.metricsPort);
        if (!o.flightDir.empty())
            po.flightRecorderDir = o.flightDir;
        if (o.flightMaxDumps >= 0) po.flightRecorderMaxDumps = static_cast<std::size_t>(o.flightMaxDumps);
        if (o.flightMaxBytes >= 0) po.flightRecorderMaxDumpBytes = static_cast<std::uint64_t>(o.flightMaxBytes);
        try {
            probe = std::make_unique<introspection::Probe>(rt, po); // logs "canopy probe listening on ..."
        } catch (const std::exception& e) {
            std::cerr << "canopy-demo: error: cannot attach the probe: " << e.what() << "\n";
            return 1;
        }
    }
#else
    if (o.port >= 0 || !o.portFile.empty() || !o.token.empty() || !o.flightDir.empty() || o.metricsPort >= 0)
        std::cerr << "canopy-demo: warning: built without the probe; --port/--port-file/--token/--flight-dir/--metrics-port ignored\n";
#endif

    demo::DemoConfig config;
    config.seed = o.seed;
    config.dataDir = o.dataDir;
    config.size = o.size;
    std::string error;
    if (!system->start(rt, config, &error)) {
        std::cerr << "canopy-demo: error: " << system->rootName() << " failed to start: " << error << "\n";
        return 1;
    }
    std::cout << "canopy-demo: " << system->name() << " started, root " << system->rootName() << " "
              << system->root().toString() << (o.chaos > 0 ? ", chaos " + formatRate(o.chaos) + "/s" : "") << "\n"
              << std::flush;

    auto kills = std::make_shared<std::atomic<std::uint64_t>>(0);
    Pid chaos = demo::ChaosMonkey::start(rt, system->rootName(), o.chaos, o.seed, kills);

    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    if (o.printTree) {
        // Let the driver's first steps populate the dynamic parts before the first picture.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        printTree(rt, *system, seconds());
    }

    int exitCode = 0;
    double nextStats = o.statsEvery > 0 ? o.statsEvery : -1;
    while (true) {
        if (g_stopRequested.load()) {
            std::cout << "canopy-demo: stop requested\n" << std::flush;
            break;
        }
        if (o.duration > 0 && seconds() >= o.duration)
            break;
        if (!rt.alive(system->root())) {
            ExitReason reason;
            rt.awaitExit(system->root(), 0, &reason);
            std::cerr << "canopy-demo: " << system->rootName() << " exited (" << reason.toString()
                      << "): it reached its maximum restart intensity\n";
            exitCode = 3;
            break;
        }
        if (g_treeRequested.exchange(false))
            printTree(rt, *system, seconds());
        if (nextStats > 0 && seconds() >= nextStats) {
            printCounters(*system, kills->load());
            nextStats += o.statsEvery;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    if (chaos) {
        rt.exit(chaos, ExitReason::kill());
        rt.awaitExit(chaos, 5000);
    }
    system->stop();
    printCounters(*system, kills->load());
    if (exitCode == 0)
        std::cout << "canopy-demo: clean shutdown after " << static_cast<long long>(seconds()) << "s\n" << std::flush;
    return exitCode;
}

} // namespace canopy::app
