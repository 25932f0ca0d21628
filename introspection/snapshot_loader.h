#pragma once
#include "introspection/result.h"
#include "introspection/tree_snapshot.h"
#include <optional>
#include <string>
#include <vector>

namespace canopy::introspection {

/// Options for loadSnapshot().
struct LoadOptions {
    /// Seconds from the session's start. Files: the moment to show (past the end = the last tree;
    /// unset = the end). Live: ignored (the tree now).
    std::optional<double> atSeconds;
    /// Token for a live probe; see resolveToken() for the order in which it is looked for.
    std::string token;
    std::string tokenFile;
    /// Connect + handshake + first keyframe deadline for live sources.
    int timeoutMs = 5000;
    /// Filled with non-fatal problems (e.g. a truncated session file), one line each.
    std::vector<std::string>* warnings = nullptr;
};

/// One call for "the tree of SOURCE at T": SOURCE is `host:port` (a live probe) or a session file
/// path. Returns the snapshot or a one-line error naming the problem.
Result<TreeSnapshot> loadSnapshot(const std::string& source, const LoadOptions& options = {});

/// Reads a token file (first line, surrounding whitespace trimmed); error names the file.
Result<std::string> readTokenFile(const std::string& path);

/// The token file a probe writes and a viewer reads when told nothing else:
/// $HOME/.canopy_token (./.canopy_token without HOME), like Erlang's ~/.erlang.cookie.
std::string defaultTokenFile();

/// The token a viewer presents: `token` if given, else the first line of `tokenFile` if given, else
/// $CANOPY_TOKEN if set, else the default token file if it exists, else empty (the probe then refuses
/// with a message saying a token is needed). Errors name the unreadable or empty file.
Result<std::string> resolveToken(const std::string& token, const std::string& tokenFile);

/// True when `source` names an existing file; false when it looks like host:port.
bool isFileSource(const std::string& source);

} // namespace canopy::introspection
