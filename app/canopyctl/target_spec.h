#pragma once
#include "app/canopyctl/global_options.h"
#include "introspection/result.h"
#include "introspection/tree_snapshot.h"
#include <optional>
#include <string>
#include <vector>

namespace canopy::app {

/// A TARGET[@T] argument: a live `host:port` or a session file, optionally at T seconds.
struct TargetSpec {
    std::string source;
    std::optional<double> atSeconds;

    /// Splits "SOURCE@T" when the text after the last '@' is a number of seconds (and SOURCE is not
    /// itself an existing file); otherwise the whole text is the source.
    static introspection::Result<TargetSpec> parse(const std::string& text);
};

/// Loads the tree a target names (live probe or session file at its time), with the global token
/// and timeout options; warnings (e.g. a truncated file) go to stderr.
introspection::Result<introspection::TreeSnapshot> loadTarget(const TargetSpec& spec, const GlobalOptions& global);

/// The token the global options give for a live probe: --token, a line read from stdin
/// (--token-stdin) or from file descriptor N (--token-fd N), --token-file, $CANOPY_TOKEN, the default
/// token file — in that order. The stdin/fd token is read once and remembered. Errors name the source.
introspection::Result<std::string> globalToken(const GlobalOptions& global);

/// Prints one error line (`canopyctl: error: ...`) and returns canopyctl's exit code for bad input (1).
int reportError(const std::string& message);
/// Prints warnings (`canopyctl: warning: ...`), whatever prefix they came with.
void reportWarnings(const std::vector<std::string>& warnings);

} // namespace canopy::app
