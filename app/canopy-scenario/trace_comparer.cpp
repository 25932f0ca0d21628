#include "app/canopy-scenario/trace_comparer.h"
#include <nlohmann/json.hpp>

namespace canopy {

std::vector<std::string> TraceComparer::normalise(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& line : lines) {
        if (line.find_first_not_of(" \t\r\n") == std::string::npos)
            continue;
        out.push_back(nlohmann::json::parse(line).dump());
    }
    return out;
}

bool TraceComparer::equal(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    return normalise(expected) == normalise(actual);
}

std::string TraceComparer::diff(const std::vector<std::string>& expectedRaw, const std::vector<std::string>& actualRaw) {
    const auto a = normalise(expectedRaw);
    const auto b = normalise(actualRaw);
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::string out;
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out += "  " + a[i++] + "\n";
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out += "+ " + b[j++] + "\n";
        } else {
            out += "- " + a[i++] + "\n";
        }
    }
    return out;
}

} // namespace canopy
