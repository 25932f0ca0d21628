#pragma once
#include "runtime/process_info.h"
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::demo {

/// A copy of the runtime's process table arranged as a tree (parent → children in start order),
/// built with Runtime::forEachProcess: no process is messaged or paused to draw it.
class ProcessTree {
public:
    /// Walks the live processes of rt (exiting ones are left out).
    static ProcessTree capture(const Runtime& rt);

    /// The process with this id, or nullptr.
    const ProcessInfo* find(std::uint64_t pid) const;
    /// The process registered under name, or nullptr.
    const ProcessInfo* findNamed(std::string_view name) const;
    /// The direct children of pid in start order.
    std::vector<const ProcessInfo*> children(std::uint64_t pid) const;
    /// Every process below root (not root itself), depth first in start order.
    std::vector<const ProcessInfo*> descendants(std::uint64_t root) const;
    /// The processes with no live parent (roots of the forest), in start order.
    std::vector<const ProcessInfo*> roots() const;
    /// Live processes captured.
    std::size_t size() const { return m_byPid.size(); }

    /// What a process is called in a diagram: its registered name, else its child id, else the module
    /// of its initial call (`Todo.Server:init/1` → `Todo.Server`).
    static std::string label(const ProcessInfo& p);
    /// The label plus `(strategy)` for supervisors and `(DynamicSupervisor)` for dynamic ones.
    static std::string title(const ProcessInfo& p);
    /// The subtree under root as indented text; runs of more than collapseAbove same-label leaves of
    /// one parent are shown as one `Label ×N` line.
    std::string render(std::uint64_t root, std::size_t collapseAbove = 5) const;

private:
    void renderNode(std::string& out, const ProcessInfo& p, const std::string& prefix, bool last, bool top,
                    std::size_t collapseAbove) const;

    std::unordered_map<std::uint64_t, ProcessInfo> m_byPid;
    std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> m_children;
};

} // namespace canopy::demo
