#include "app/canopy-scenario/scenario_trace.h"
#include <nlohmann/json.hpp>

namespace canopy {

using ojson = nlohmann::ordered_json;

void ScenarioTrace::add(std::string line) {
    std::lock_guard lock(m_mutex);
    m_lines.push_back(std::move(line));
}

std::vector<std::string> ScenarioTrace::lines() const {
    std::lock_guard lock(m_mutex);
    return m_lines;
}

void ScenarioTrace::event(const std::string& name, const std::string& path) {
    ojson j;
    j["event"] = name;
    j["path"] = path;
    add(j.dump());
}

void ScenarioTrace::event(const std::string& name, const std::string& path, const ExitReason& reason) {
    ojson j;
    j["event"] = name;
    j["path"] = path;
    j["reason"] = reasonText(reason);
    add(j.dump());
}

void ScenarioTrace::report(const std::string& context, const std::string& supervisor, const std::string& child,
                           const std::string& reason) {
    ojson j;
    j["event"] = "report";
    j["context"] = context;
    j["supervisor"] = supervisor;
    j["child"] = child;
    j["reason"] = reason;
    add(j.dump());
}

void ScenarioTrace::result(int step, const std::string& value) {
    ojson j;
    j["event"] = "result";
    j["step"] = step;
    j["value"] = value;
    add(j.dump());
}

void ScenarioTrace::bind(const Pid& pid, const std::string& path, Kind kind) {
    std::lock_guard lock(m_mutex);
    m_pathToPid[path] = pid;
    m_pidToPath[pid.id()] = Bound{path, kind};
}

Pid ScenarioTrace::pidOf(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto it = m_pathToPid.find(path);
    return it == m_pathToPid.end() ? Pid() : it->second;
}

std::string ScenarioTrace::pathOf(std::uint64_t pid) const {
    std::lock_guard lock(m_mutex);
    auto it = m_pidToPath.find(pid);
    return it == m_pidToPath.end() ? std::string("?") : it->second.path;
}

bool ScenarioTrace::known(std::uint64_t pid, Kind* kind) const {
    std::lock_guard lock(m_mutex);
    auto it = m_pidToPath.find(pid);
    if (it == m_pidToPath.end())
        return false;
    if (kind)
        *kind = it->second.kind;
    return true;
}

std::vector<std::string> ScenarioTrace::pathsOf(const std::set<std::uint64_t>& pids) const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [path, pid] : m_pathToPid)
        if (pids.count(pid.id()))
            out.push_back(path);
    return out;
}

void ScenarioTrace::watch(std::uint64_t pid) {
    std::lock_guard lock(m_mutex);
    m_watched.insert(pid);
}

bool ScenarioTrace::unwatch(std::uint64_t pid) {
    std::lock_guard lock(m_mutex);
    return m_watched.erase(pid) != 0;
}

void ScenarioTrace::failNextStarts(const std::string& path, int count) {
    std::lock_guard lock(m_mutex);
    m_failures[path] = count;
}

bool ScenarioTrace::takeFailure(const std::string& path) {
    std::lock_guard lock(m_mutex);
    auto it = m_failures.find(path);
    if (it == m_failures.end() || it->second <= 0)
        return false;
    --it->second;
    return true;
}

std::string ScenarioTrace::reasonText(const ExitReason& reason) {
    switch (reason.kind()) {
    case ExitReason::Kind::Normal: return "normal";
    case ExitReason::Kind::Shutdown:
    case ExitReason::Kind::ShutdownWith: return "shutdown";
    case ExitReason::Kind::Killed: return "killed";
    case ExitReason::Kind::Kill: return "kill";
    case ExitReason::Kind::Noproc: return "noproc";
    case ExitReason::Kind::Other: break;
    }
    // The oracle prints atoms as themselves and every other term as `error`.
    const std::string& d = reason.detail();
    bool atom = !d.empty() && d[0] >= 'a' && d[0] <= 'z';
    for (char c : d)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@'))
            atom = false;
    return atom ? d : std::string("error");
}

} // namespace canopy
