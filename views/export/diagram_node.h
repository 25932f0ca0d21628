#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::exporting {

/// One box of a diagram: a single process, or a "herd" of same-spec processes drawn as a stack.
/// Format-neutral: every exporter draws the same nodes with the same text lines.
struct DiagramNode {
    /// Stable id: the path of child ids / names from the root, e.g. `Todo.Supervisor/Todo.Cache`;
    /// herds end in `*` (`.../Todo.ServerSupervisor/Todo.Server*`). Never contains a pid.
    std::string id;
    /// Registered name, child id or (for herds) the spec family, e.g. `Todo.Server`.
    std::string title;
    /// `worker`, `supervisor` or `dynamic_supervisor`.
    std::string kind = "worker";
    /// Supervisors' restart strategy (`one_for_one`, ...); empty for workers.
    std::string strategy;
    /// Number of processes this node stands for (> 1 for a herd).
    std::size_t count = 1;
    /// Annotation lines (restarts, mailbox, exit reasons); empty unless annotations were asked for.
    std::vector<std::string> notes;
    /// Indices of child nodes in DiagramTree::nodes(), in start order.
    std::vector<std::size_t> children;
    /// Distance from the root (roots are 0).
    int depth = 0;
    /// The processes this node stands for, in start order (one pid, or a herd's members). Viewers map
    /// change sets to nodes with it; exporters ignore it.
    std::vector<std::uint64_t> pids;
    /// True for a child slot of a static supervisor with no running process (OTP's which_children
    /// lists it with pid `undefined`): drawn as a ghost. `pids` is empty then.
    bool ghost = false;

    /// True when this node stands for several processes.
    bool isHerd() const { return count > 1; }
    /// True for supervisors and dynamic supervisors.
    bool isSupervisor() const { return kind != "worker"; }
    /// The title with the herd count, e.g. `Todo.Server ×5` (`x5` when plainAscii).
    std::string heading(bool plainAscii) const {
        if (!isHerd()) return title;
        return title + (plainAscii ? " x" : " \u00d7") + std::to_string(count);
    }
    /// The line under the heading: `(not running)` for a ghost slot, `(rest_for_one)`,
    /// `(DynamicSupervisor)`, or empty for running workers.
    std::string strategyLine() const {
        if (ghost) return "(not running)";
        if (kind == "dynamic_supervisor") return "(DynamicSupervisor)";
        if (kind == "supervisor") return "(" + (strategy.empty() ? std::string("supervisor") : strategy) + ")";
        return {};
    }
    /// All text lines of the box: heading, strategy line (if any), then the notes.
    std::vector<std::string> lines(bool plainAscii) const {
        std::vector<std::string> out{heading(plainAscii)};
        if (auto s = strategyLine(); !s.empty()) out.push_back(std::move(s));
        out.insert(out.end(), notes.begin(), notes.end());
        return out;
    }
};

} // namespace canopy::exporting
