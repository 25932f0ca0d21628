#pragma once
#include "introspection/tree_snapshot.h"
#include <nlohmann/json.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace canopy::app {

/// Text and JSON renderings of a TreeSnapshot for canopyctl.
class TreeText {
public:
    /// The tree as indented text (one process per line, box-drawing branches, supervisors with
    /// strategy and restart intensity, workers with mailbox length when non-zero).
    static std::string render(const introspection::TreeSnapshot& snapshot);
    /// One process's summary line (without branches).
    static std::string describe(const introspection::ProcessRecord& record);
    /// A process record as a JSON object (the wire field names).
    static nlohmann::json toJson(const introspection::ProcessRecord& record);
    /// {"time_s": T, "count": N, "processes": [records in tree order, with "depth"]}.
    static nlohmann::json toJson(const introspection::TreeSnapshot& snapshot);
    /// Stable paths of display names from the roots for every process, e.g. "app_sup/workers/worker#2"
    /// (siblings with the same label are numbered in start order).
    static std::map<std::uint64_t, std::string> allPaths(const introspection::TreeSnapshot& snapshot);
};

} // namespace canopy::app
