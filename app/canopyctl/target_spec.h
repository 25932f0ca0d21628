#pragma once
#include "introspection/result.h"
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

} // namespace canopy::app
