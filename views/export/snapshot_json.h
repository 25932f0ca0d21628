#pragma once
#include "introspection/tree_snapshot.h"

#include <string>
#include <string_view>

namespace canopy::exporting {

/// Converts a TreeSnapshot to and from the JSON snapshot format (docs/exports.md):
/// `{"format":"canopy-tree-snapshot","version":2,"time_ns":0,"processes":[{...ProcessRecord...}]}`,
/// records keyed as on the wire (introspection/wire_table.h); version 1's camelCase keys still read.
/// Used for test fixtures and as an export SOURCE until session files are available.
class SnapshotJson {
public:
    /// The outcome of reading a snapshot: the snapshot, or one line naming the problem.
    struct Parsed {
        /// The snapshot read (empty on error).
        introspection::TreeSnapshot snapshot;
        /// Empty on success; otherwise one line, e.g. `processes[3].pid: expected an unsigned integer`.
        std::string error;
        /// True when reading succeeded.
        bool ok() const { return error.empty(); }
    };

    /// Format identifier written in and required from the `format` field.
    static constexpr std::string_view kFormat = "canopy-tree-snapshot";
    /// Highest format version this code reads (and the one it writes). Version 2 spells keys as the
    /// wire does (`pid_text`, `child_id`, `time_ns`); version 1 spelled them in camelCase.
    static constexpr int kVersion = 2;

    /// Parses JSON text; never throws, reports malformed JSON, wrong types or duplicate pids.
    static Parsed fromJson(std::string_view text);
    /// Reads and parses a file; a missing or unreadable file is reported as an error.
    static Parsed fromFile(const std::string& path);
    /// Serialises a snapshot (processes in pid order, 2-space indent, fields always present).
    static std::string toJson(const introspection::TreeSnapshot& snapshot);
};

} // namespace canopy::exporting
