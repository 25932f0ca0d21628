#pragma once
#include "introspection/result.h"
#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>

namespace canopy::introspection {

/// A canopy-beam child process that a viewer (canopyctl, the app) runs for a `beam:NODE` target: on an ephemeral
/// loopback port, with a fresh token in a private temporary directory, stopped (SIGTERM, so the
/// agent leaves the node as it found it) and cleaned up when destroyed.
class BeamBridge {
public:
    /// How to start the bridge.
    struct Options {
        /// --cookie / --cookie-file for canopy-beam (both empty: its default, ~/.erlang.cookie).
        std::string cookie;
        std::string cookieFile;
        /// Deadline to attach, ms.
        int timeoutMs = 5000;
        /// Token file all bridges of this canopyctl share ("" = one in this bridge's directory).
        std::string tokenFile;
    };

    /// True for `beam:NODE` (and `beam:NODE/APP`, one application's tree).
    static bool isTarget(const std::string& text);
    /// Starts canopy-beam for `target` (`beam:NODE`) and waits until it listens; the error names
    /// what went wrong (canopy-beam's own one-line message when it exits early).
    static Result<std::unique_ptr<BeamBridge>> start(const std::string& target, const Options& opts);
    /// Stops the bridge and removes its directory.
    ~BeamBridge();
    BeamBridge(const BeamBridge&) = delete;
    BeamBridge& operator=(const BeamBridge&) = delete;

    /// `127.0.0.1:PORT`, the live target viewers connect to.
    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }
    /// The token file the bridge serves with.
    const std::string& tokenFile() const { return m_tokenFile; }

private:
    BeamBridge() = default;
    /// The canopy-beam executable: $CANOPY_BEAM, next to canopyctl, in the build tree, else on PATH.
    static std::string executable();

    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    std::string m_dir;
    std::string m_tokenFile;
};

} // namespace canopy::introspection
