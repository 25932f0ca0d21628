#pragma once
#include "introspection/result.h"
#include <string>

namespace canopy::app {

/// A token given on stdin (`--token-stdin`) or an inherited file descriptor (`--token-fd N`), so it
/// never shows in `ps` the way `--token` does.
class TokenInput {
public:
    /// The first line of stdin (`fromStdin`) or of file descriptor `fd`, trimmed. Read once per
    /// process and remembered (a stream can be read only once). Errors name the source.
    static introspection::Result<std::string> read(bool fromStdin, int fd);
    /// The first line of `fd`, trimmed (`what` names it in errors); no caching.
    static introspection::Result<std::string> readLine(int fd, const std::string& what);
};

} // namespace canopy::app
