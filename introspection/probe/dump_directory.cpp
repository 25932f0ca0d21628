#include "introspection/probe/dump_directory.h"
#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

namespace canopy::introspection {

namespace fs = std::filesystem;

std::vector<DumpDirectory::Entry> DumpDirectory::list(const std::string& dir) {
    std::vector<Entry> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("canopy-flight-", 0) != 0 || name.size() < 7 || name.compare(name.size() - 7, 7, ".canopy") != 0)
            continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back({it->path().string(), std::uint64_t(st.st_size),
                       std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        return a.modifiedNs != b.modifiedNs ? a.modifiedNs < b.modifiedNs : a.path < b.path;
    });
    return out;
}

std::vector<std::string> DumpDirectory::prune(const std::string& dir, std::size_t maxFiles, std::uint64_t maxBytes,
                                              const std::string& keep) {
    std::vector<std::string> removed;
    if (maxFiles == 0 && maxBytes == 0) return removed;
    std::vector<Entry> entries = list(dir);
    std::uint64_t total = 0;
    for (const auto& e : entries) total += e.bytes;
    std::size_t count = entries.size();
    const std::string keepName = keep.empty() ? std::string() : fs::path(keep).filename().string();
    for (const auto& e : entries) {
        const bool overCount = maxFiles > 0 && count > maxFiles;
        const bool overBytes = maxBytes > 0 && total > maxBytes;
        if (!overCount && !overBytes) break;
        if (!keepName.empty() && fs::path(e.path).filename() == keepName) continue;
        std::error_code ec;
        if (fs::remove(e.path, ec)) {
            removed.push_back(e.path);
            --count;
            total -= e.bytes;
        }
    }
    return removed;
}

} // namespace canopy::introspection
