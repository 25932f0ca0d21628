#pragma once
#include <string>
#include <string_view>

namespace canopy::introspection {

/// The probe's shared secret, handled the way Erlang handles its cookie.
class ProbeToken {
public:
    /// The default token file: $HOME/.canopy_token (./.canopy_token without HOME).
    static std::string defaultFile();
    /// 32 random hex digits.
    static std::string generate();
    /// Resolves the token: `given` if non-empty; else the first line of `file` when it exists and is
    /// not empty; else a generated token written to `file` with mode 0600. Throws std::runtime_error
    /// naming the file when it cannot be read or written.
    static std::string resolve(const std::string& given, const std::string& file);
    /// Constant-time comparison (no early exit on the first differing byte).
    static bool equal(std::string_view a, std::string_view b);
};

} // namespace canopy::introspection
