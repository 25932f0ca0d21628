#pragma once
// Test helper: a file's bytes in and out (to damage session files on purpose).
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace canopy::introspection::testing {

/// The whole file (empty when it cannot be read).
inline std::vector<char> readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), {});
}

/// Replaces the file's content with `bytes`.
inline void writeAll(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace canopy::introspection::testing
