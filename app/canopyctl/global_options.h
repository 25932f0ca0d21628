#pragma once
#include <string>

namespace canopy::app {

/// Options shared by every canopyctl subcommand (accepted before or after the subcommand name).
struct GlobalOptions {
    /// Print machine-readable JSON on stdout instead of text.
    bool json = false;
    /// Token for live probes, or a file holding it, or read from stdin / a file descriptor (so it
    /// never shows in `ps`). At most one of the four is given.
    std::string token;
    std::string tokenFile;
    bool tokenStdin = false;
    int tokenFd = -1;
    /// Connect/handshake/keyframe deadline for live targets, in ms.
    int timeoutMs = 5000;
};

} // namespace canopy::app
