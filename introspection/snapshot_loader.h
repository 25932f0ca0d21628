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
    /// Token for a live probe; see resolveToken() (token_file.h) for the order in which it is looked for.
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

/// True when `source` names an existing file; false when it looks like host:port.
bool isFileSource(const std::string& source);

} // namespace canopy::introspection
