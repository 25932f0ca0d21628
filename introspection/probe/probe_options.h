#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace canopy::introspection {

/// How a Probe listens, authenticates and records. Defaults are safe for production: loopback only,
/// commands disabled, a generated token written to a file only the owner can read.
struct ProbeOptions {
    /// Address to bind; a non-loopback address is refused unless allowRemote is set.
    std::string bindAddress = "127.0.0.1";
    /// TCP port; 0 = pick a free port (see Probe::port()).
    std::uint16_t port = 0;
    /// When non-empty, the bound port is written there (decimal, one line).
    std::string portFile;
    /// Shared secret viewers must present; empty = read tokenFile if it exists, else generate one and
    /// write it to tokenFile with mode 0600 (Erlang's cookie).
    std::string token;
    /// Token file; empty = $HOME/.canopy_token (or ./.canopy_token without HOME).
    std::string tokenFile;
    /// Enables destructive commands (kill, terminate/restart child) from viewers.
    bool allowCommands = false;
    /// Allows binding a non-loopback address.
    bool allowRemote = false;
    /// Connections that may wait for their hello at once (each holds a few KiB until it authenticates or
    /// its 10 s deadline passes); more are refused at once with `busy`.
    std::size_t maxHandshakes = 64;
    /// Frames a viewer may have queued before it is resynchronised by a keyframe.
    std::size_t viewerQueueLimit = 4096;
    /// Runtime events waiting for the probe's thread; past it events are dropped and every viewer is
    /// resynchronised by a keyframe (reason `queue_overflow`).
    std::size_t eventQueueLimit = std::size_t(1) << 20;
    /// Flight recorder: events kept (at least) in memory; 0 disables the recorder.
    std::size_t flightRecorderEvents = 100000;
    /// Flight recorder: seconds of history kept (at least).
    double flightRecorderSeconds = 60;
    /// Directory flight-recorder session files are written to.
    std::string flightRecorderDir = ".";
    /// Flight recorder: dump files (`canopy-flight-*.canopy`, this program's and others') kept in
    /// flightRecorderDir; the oldest are removed after each dump and at startup (0 = no limit).
    std::size_t flightRecorderMaxDumps = 20;
    /// Flight recorder: bytes all dump files in flightRecorderDir may take (0 = no limit); the newest
    /// dump is always kept.
    std::uint64_t flightRecorderMaxDumpBytes = 256ull << 20;
    /// Flight recorder: also write the ring when the program dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL,
    /// SIGABRT or std::terminate (a file prepared at startup, written from the signal handler, then the
    /// previous handler runs). Turn off for programs that handle those signals themselves.
    bool flightRecorderOnCrash = true;
    /// Port of the Prometheus text endpoint `/metrics`: unset = no endpoint, 0 = a free port (see
    /// Probe::metricsPort()).
    std::optional<std::uint16_t> metricsPort;
};

} // namespace canopy::introspection
