#pragma once
#include <string>
#include <string_view>

namespace canopy::introspection {

/// The probe's shared secret, handled the way Erlang handles its cookie.
class ProbeToken {
public:
    /// The default token file, $HOME/.canopy_token; throws std::runtime_error saying so when HOME is
    /// unset (there is no fallback to the working directory).
    static std::string defaultFile();
    /// 32 random hex digits.
    static std::string generate();
    /// Resolves the token: `given` if non-empty; else the first line of `file` (default: defaultFile())
    /// when it exists and is not empty; else a generated token written to `file` with mode 0600. A
    /// file that is not a regular file, is owned by another user or is accessible by group or others is
    /// refused, never read or overwritten. Throws std::runtime_error naming the file and the reason.
    static std::string resolve(const std::string& given, const std::string& file);
    /// Constant-time comparison (no early exit on the first differing byte).
    static bool equal(std::string_view a, std::string_view b);
};

} // namespace canopy::introspection
