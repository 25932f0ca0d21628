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
    /// strategy and restart intensity, workers with mailbox length when non-zero; a static
    /// supervisor's slot with no running process shown where it stands, as `(not running)`).
    static std::string render(const introspection::TreeSnapshot& snapshot);
    /// One process's summary line (without branches).
    static std::string describe(const introspection::ProcessRecord& record);
    /// A process record as a JSON object (the wire field names).
    static nlohmann::json toJson(const introspection::ProcessRecord& record);
    /// One ghost slot's line: `(undefined) StreamInfoFetcher  transient  (not running; last exit: normal)`.
    static std::string describeGhost(const introspection::ProcessRecord& slot);
    /// {"time_s": T, "count": N, "processes": [records in tree order, with "depth" and "path"],
    ///  "ghosts": [slots with no running process, with "path"]}.
    static nlohmann::json toJson(const introspection::TreeSnapshot& snapshot);
};

} // namespace canopy::app
