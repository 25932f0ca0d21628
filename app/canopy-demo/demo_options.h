#pragma once
#include <cstdint>
#include <string>

namespace canopy::app {

/// canopy-demo's command line.
struct DemoOptions {
    /// "todo", "streams" or "hangman".
    std::string system;
    /// Probe port (0 = a free port); -1 = no probe unless portFile, token, flightDir or metricsPort asks for one.
    int port = -1;
    /// File the probe writes its bound port to.
    std::string portFile;
    /// Probe token ("" = the probe's token file / generated).
    std::string token;
    /// Probe token file.
    std::string tokenFile;
    /// Lets viewers kill processes and terminate/restart children through the probe.
    bool allowCommands = false;
    /// Directory for the probe's flight-recorder dumps ("" = the probe's default, the working directory).
    std::string flightDir;
    /// Flight-recorder dumps kept in flightDir (-1 = the probe's default, 0 = no limit).
    long long flightMaxDumps = -1;
    /// Bytes all flight-recorder dumps in flightDir may take (-1 = the probe's default, 0 = no limit).
    long long flightMaxBytes = -1;
    /// Probe /metrics port (-1 = none, 0 = a free port).
    int metricsPort = -1;
    /// Exit signals with reason chaos per second (0 = none).
    double chaos = 0;
    /// Seconds to run (0 = until SIGINT/SIGTERM).
    double duration = 0;
    /// Print the tree at start and on SIGUSR1.
    bool printTree = false;
    /// Print the counters every this many seconds (0 = only at exit).
    double statsEvery = 0;
    /// Todo's data directory ("" = a temp dir removed at exit).
    std::string dataDir;
    /// Seed of the system's random choices.
    std::uint64_t seed = 1;
    /// Pool size / streams / tables (0 = the system's default).
    int size = 0;
    /// Runtime worker threads (0 = one per core).
    unsigned workers = 0;
};

} // namespace canopy::app
