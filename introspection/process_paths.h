#pragma once
#include "introspection/tree_snapshot.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace canopy::introspection {

/// Stable names of processes as paths from the roots, e.g. `Todo.Supervisor/Todo.Cache`: one id
/// scheme for canopyctl (diff, paths in JSON), the app and the diagrams (DiagramNode::id). A segment
/// is the child id, else the registered name, else the family (familyOf); siblings with the same
/// segment are told apart as `seg#2`, `seg#3`... in sibling order (ghost slots take part, so a
/// process keeps its path whether a sibling slot is running or not). Paths never contain a pid.
class ProcessPaths {
public:
    /// The segment of one process or ghost slot ("process" when nothing names it).
    static std::string segmentOf(const ProcessRecord& record);

    /// Numbers repeated segments among the children of one parent, in the order they are asked.
    class SiblingNames {
    public:
        /// `segment`, or `segment#N` for its N-th occurrence (N >= 2).
        std::string take(std::string segment);

    private:
        std::map<std::string, int> m_seen;
    };

    /// The children of `parent` (0 = the roots) and its ghost slots, in sibling order.
    static std::vector<const ProcessRecord*> siblingsOf(const TreeSnapshot& snapshot, std::uint64_t parent);
    /// The path of every process reachable from the roots, by pid (a process caught in a parent cycle
    /// gets its own segment as its path). Linear in the tree.
    static std::map<std::uint64_t, std::string> of(const TreeSnapshot& snapshot);
};

} // namespace canopy::introspection
