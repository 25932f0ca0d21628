#include "examples/common/process_tree.h"
#include "runtime/pid.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <map>

namespace canopy::demo {

ProcessTree ProcessTree::capture(const Runtime& rt) {
    ProcessTree t;
    rt.forEachProcess([&t](const ProcessInfo& p) {
        if (p.status == ProcessStatus::Exiting || p.status == ProcessStatus::Dead)
            return;
        t.m_byPid.emplace(p.pid, p);
    });
    for (const auto& [pid, p] : t.m_byPid)
        if (p.parent != 0 && p.parent != pid && t.m_byPid.count(p.parent))
            t.m_children[p.parent].push_back(pid);
    for (auto& [pid, list] : t.m_children)
        std::sort(list.begin(), list.end());
    return t;
}

const ProcessInfo* ProcessTree::find(std::uint64_t pid) const {
    auto it = m_byPid.find(pid);
    return it == m_byPid.end() ? nullptr : &it->second;
}

const ProcessInfo* ProcessTree::findNamed(std::string_view name) const {
    for (const auto& [pid, p] : m_byPid)
        if (p.registeredName == name)
            return &p;
    return nullptr;
}

std::vector<const ProcessInfo*> ProcessTree::children(std::uint64_t pid) const {
    std::vector<const ProcessInfo*> out;
    auto it = m_children.find(pid);
    if (it == m_children.end())
        return out;
    for (std::uint64_t c : it->second)
        out.push_back(&m_byPid.at(c));
    return out;
}

std::vector<const ProcessInfo*> ProcessTree::descendants(std::uint64_t root) const {
    std::vector<const ProcessInfo*> out;
    std::vector<std::uint64_t> stack{root};
    while (!stack.empty()) {
        std::uint64_t pid = stack.back();
        stack.pop_back();
        auto kids = children(pid);
        for (auto it = kids.rbegin(); it != kids.rend(); ++it)
            stack.push_back((*it)->pid);
        if (pid != root)
            out.push_back(&m_byPid.at(pid));
    }
    return out;
}

std::vector<const ProcessInfo*> ProcessTree::roots() const {
    std::vector<const ProcessInfo*> out;
    for (const auto& [pid, p] : m_byPid)
        if (p.parent == 0 || p.parent == pid || !m_byPid.count(p.parent))
            out.push_back(&p);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->pid < b->pid; });
    return out;
}

std::string ProcessTree::label(const ProcessInfo& p) {
    if (!p.registeredName.empty())
        return p.registeredName;
    if (!p.childId.empty())
        return p.childId;
    auto colon = p.initialCall.find(':');
    if (colon != std::string::npos && colon > 0)
        return p.initialCall.substr(0, colon);
    return p.initialCall.empty() ? Pid::format(p.pid) : p.initialCall;
}

std::string ProcessTree::title(const ProcessInfo& p) {
    std::string s = label(p);
    if (p.hasMeta && p.kind == ProcessKind::DynamicSupervisor)
        s += " (DynamicSupervisor)";
    else if (p.hasMeta && p.kind == ProcessKind::Supervisor)
        s += " (" + p.strategy + ")";
    return s;
}

std::string ProcessTree::render(std::uint64_t root, std::size_t collapseAbove) const {
    std::string out;
    if (const ProcessInfo* p = find(root))
        renderNode(out, *p, "", true, true, collapseAbove);
    return out;
}

void ProcessTree::renderNode(std::string& out, const ProcessInfo& p, const std::string& prefix, bool last, bool top,
                             std::size_t collapseAbove) const {
    out += prefix;
    if (!top)
        out += last ? "└─ " : "├─ ";
    out += title(p) + "  " + Pid::format(p.pid);
    if (p.hasMeta && p.kind != ProcessKind::Worker && p.restartsInWindow > 0)
        out += "  restarts " + std::to_string(p.restartsInWindow) + "/" + std::to_string(p.maxRestarts);
    out += "\n";
    std::string childPrefix = top ? "" : prefix + (last ? "   " : "│  ");

    // Group leaf children by label so a dynamic supervisor's herd prints as one line.
    auto kids = children(p.pid);
    std::map<std::string, std::size_t> leafCount;
    for (const ProcessInfo* k : kids)
        if (!m_children.count(k->pid))
            ++leafCount[title(*k)];
    struct Line {
        const ProcessInfo* node;
        std::string herd; // non-empty: a collapsed herd line
    };
    std::vector<Line> lines;
    std::map<std::string, bool> herdShown;
    for (const ProcessInfo* k : kids) {
        std::string t = title(*k);
        bool leaf = !m_children.count(k->pid);
        if (leaf && leafCount[t] > collapseAbove) {
            if (!herdShown[t]) {
                herdShown[t] = true;
                lines.push_back({nullptr, t + " ×" + std::to_string(leafCount[t])});
            }
            continue;
        }
        lines.push_back({k, {}});
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        bool isLast = i + 1 == lines.size();
        if (lines[i].node)
            renderNode(out, *lines[i].node, childPrefix, isLast, false, collapseAbove);
        else
            out += childPrefix + (isLast ? "└─ " : "├─ ") + lines[i].herd + "\n";
    }
}

} // namespace canopy::demo
