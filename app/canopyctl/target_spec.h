#pragma once
#include "app/canopyctl/global_options.h"
#include "introspection/result.h"
#include "introspection/tree_snapshot.h"
#include <optional>
#include <string>

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

} // namespace canopy::app
