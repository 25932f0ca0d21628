#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {

/// The flight-recorder files in a directory (`canopy-flight-*.canopy`, whoever wrote them: this
/// program, an earlier run, a crash), kept within a count and a byte budget by removing the oldest.
class DumpDirectory {
public:
    /// One dump file.
    struct Entry {
        std::string path;
        std::uint64_t bytes = 0;
        std::int64_t modifiedNs = 0;
    };
    /// The dump files in `dir`, oldest first (by modification time, then name).
    static std::vector<Entry> list(const std::string& dir);
    /// Removes the oldest dumps until at most `maxFiles` remain and they hold at most `maxBytes` in all
    /// (0 = no limit), never `keep` (the dump just written, even when it alone is over the budget).
    /// Returns the paths removed.
    static std::vector<std::string> prune(const std::string& dir, std::size_t maxFiles, std::uint64_t maxBytes,
                                          const std::string& keep = {});
};

} // namespace canopy::introspection
