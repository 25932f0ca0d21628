// canopy-demo: the three classic OTP systems (todo, streams, hangman) running on Canopy, with an
// optional probe so canopyctl or the observer can attach.
#include "app/canopy-demo/demo_options.h"
#include "app/canopy-demo/demo_runner.h"
#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using canopy::app::DemoOptions;
    DemoOptions o;
    CLI::App app{"canopy-demo: run a classic supervision tree (todo | streams | hangman) on Canopy", "canopy-demo"};
    app.add_option("system", o.system, "Which system: todo, streams or hangman")
        ->required()
        ->check(CLI::IsMember({"todo", "streams", "hangman"}));
    app.add_option("--port", o.port, "Attach the probe on this port (0 = a free port)")->check(CLI::Range(0, 65535));
    app.add_option("--port-file", o.portFile, "Write the probe's port to this file (attaches the probe)");
    app.add_option("--token", o.token, "Probe token (attaches the probe)");
    app.add_option("--token-file", o.tokenFile, "Probe token file (default $HOME/.canopy_token)");
    app.add_flag("--allow-commands", o.allowCommands, "Let viewers kill processes and restart children");
    app.add_option("--flight-dir", o.flightDir, "Directory for the probe's flight-recorder dumps (default: .)");
    app.add_option("--flight-max-dumps", o.flightMaxDumps,
                   "Flight-recorder dumps kept in --flight-dir, oldest removed first (default 20; 0 = no limit)")
        ->check(CLI::Range(0ll, 1000000ll));
    app.add_option("--flight-max-bytes", o.flightMaxBytes,
                   "Bytes all flight-recorder dumps in --flight-dir may take, e.g. 64MiB (default 256MiB; 0 = no limit)")
        ->transform(CLI::AsSizeValue(false));
    app.add_option("--metrics-port", o.metricsPort, "Serve Prometheus /metrics on this port (0 = a free port; default: none)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--chaos", o.chaos, "Crash random workers at this rate per second (exit reason chaos)")
        ->check(CLI::Range(0.0, 1000.0));
    app.add_option("--duration", o.duration, "Run this many seconds, then shut down (0 = until SIGINT/SIGTERM)")
        ->check(CLI::Range(0.0, 1e7));
    app.add_flag("--print-tree", o.printTree, "Print the supervision tree at start and on SIGUSR1");
    app.add_option("--stats", o.statsEvery, "Print the progress counters every S seconds")->check(CLI::Range(0.0, 1e6));
    app.add_option("--data-dir", o.dataDir, "todo: directory the lists are persisted to (default: a temp dir)");
    app.add_option("--seed", o.seed, "Seed of the random choices");
    app.add_option("--size", o.size, "Database workers (todo), streams (streams) or tables (hangman); 0 = default")
        ->check(CLI::Range(0, 100000));
    app.add_option("--workers", o.workers, "Runtime worker threads (0 = one per core)")->check(CLI::Range(0u, 1024u));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)
            return app.exit(e);
        std::cerr << "canopy-demo: error: " << e.what() << " (see canopy-demo --help)\n";
        return 2;
    }
    return canopy::app::DemoRunner(std::move(o)).run();
}
