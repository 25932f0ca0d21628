#pragma once
// Helpers shared by the tree canvas tests and benchmarks: fixtures, a synthetic big tree, batches.
#include "introspection/tree_snapshot.h"
#include "views/export/diagram_tree.h"
#include "views/export/snapshot_json.h"
#include "views/model/change_batch.h"

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace canopy::treetest {

/// The repository root (CANOPY_SOURCE_DIR from CTest, else the compile-time source dir).
inline std::string sourceDir() {
    if (const char* env = std::getenv("CANOPY_SOURCE_DIR")) return env;
#ifdef CANOPY_SOURCE_DIR_DEFAULT
    return CANOPY_SOURCE_DIR_DEFAULT;
#else
    return ".";
#endif
}

/// tests/views/fixtures/<name>.json.
inline introspection::TreeSnapshot fixture(const std::string& name) {
    auto parsed = exporting::SnapshotJson::fromFile(sourceDir() + "/tests/views/fixtures/" + name + ".json");
    if (!parsed.ok()) throw std::runtime_error(parsed.error);
    return parsed.snapshot;
}

/// A supervision tree like observer.md's measurements: one root, `mid` supervisors under it, `mid`
/// supervisors under each of those, `workers` workers under each of the latter (10/10/99: 10,011).
inline introspection::TreeSnapshot syntheticTree(int mid, int workers) {
    introspection::TreeSnapshot s;
    std::uint64_t next = 1;
    auto add = [&](std::uint64_t parent, const std::string& name, const std::string& kind, std::uint64_t order) {
        introspection::ProcessRecord r;
        r.pid = next++;
        r.pidText = "<0." + std::to_string(r.pid) + ".0>";
        r.parent = parent;
        r.name = name;
        r.childId = name;
        r.kind = kind;
        if (kind != "worker") {
            r.strategy = "one_for_one";
            r.maxRestarts = 3;
            r.maxSeconds = 5;
        }
        r.initialCall = name + ":init/1";
        r.startOrder = order;
        s.processes.emplace(r.pid, r);
        return r.pid;
    };
    const auto root = add(0, "App.Supervisor", "supervisor", 0);
    for (int a = 0; a < mid; ++a) {
        const auto sa = add(root, "App.Region" + std::to_string(a), "supervisor", static_cast<std::uint64_t>(a));
        for (int b = 0; b < mid; ++b) {
            const auto sb = add(sa, "App.Shard" + std::to_string(a) + "_" + std::to_string(b), "supervisor", static_cast<std::uint64_t>(b));
            for (int w = 0; w < workers; ++w)
                add(sb, "App.Worker" + std::to_string(a) + "_" + std::to_string(b) + "_" + std::to_string(w), "worker",
                    static_cast<std::uint64_t>(w));
        }
    }
    return s;
}

/// The diagram the app draws: herds of dynamic children from `herdThreshold` same-family siblings.
inline std::shared_ptr<const exporting::DiagramTree> diagramOf(const introspection::TreeSnapshot& s, std::size_t herdThreshold = 12) {
    return std::make_shared<const exporting::DiagramTree>(exporting::DiagramTree::build(s, true, false, herdThreshold));
}

/// A reset batch carrying every record of `s` (what the worker posts for a first keyframe).
inline views::ChangeBatch resetBatch(const introspection::TreeSnapshot& s) {
    views::ChangeBatch b;
    b.changes.reset = true;
    b.changes.timeNs = b.timeNs = s.timeNs;
    for (const auto& [pid, r] : s.processes) b.records.push_back(r);
    b.processCount = s.processes.size();
    return b;
}

} // namespace canopy::treetest
