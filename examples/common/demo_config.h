#pragma once
#include <cstdint>
#include <string>

namespace canopy::demo {

/// How a demo system is started (from canopy-demo's options or a test).
struct DemoConfig {
    /// Seed of every random choice the system makes (each process derives its own stream).
    std::uint64_t seed = 1;
    /// Todo: directory the database workers persist lists to ("" = a fresh temp dir, removed at stop).
    std::string dataDir;
    /// Todo: database workers in the pool; Streams: streams discovered; Hangman: concurrent games.
    int size = 0;
    /// Milliseconds between two steps of the driver (smaller = more work per second).
    int driverIntervalMs = 0;
};

} // namespace canopy::demo
