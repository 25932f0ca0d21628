#pragma once
#include <string>
#include <vector>

namespace canopy {

/// Compares two traces after JSON normalisation (each line parsed and re-serialised with sorted
/// keys, blank lines dropped) and renders a readable line diff.
class TraceComparer {
public:
    /// The normalised form of a trace (throws nlohmann::json::parse_error on a malformed line).
    static std::vector<std::string> normalise(const std::vector<std::string>& lines);
    /// True when both traces are identical after normalisation.
    static bool equal(const std::vector<std::string>& expected, const std::vector<std::string>& actual);
    /// A diff of the normalised traces: `  ` common, `- ` only expected, `+ ` only actual (LCS based).
    static std::string diff(const std::vector<std::string>& expected, const std::vector<std::string>& actual);
};

} // namespace canopy
