#pragma once
#include <string>

namespace canopy::app {

/// Options shared by every canopyctl subcommand (accepted before or after the subcommand name).
struct GlobalOptions {
    /// Print machine-readable JSON on stdout instead of text.
    bool json = false;
    /// Token for live probes, or a file holding it.
    std::string token;
    std::string tokenFile;
    /// Connect/handshake/keyframe deadline for live targets, in ms.
    int timeoutMs = 5000;
};

} // namespace canopy::app
