#include "runtime/supervision/registry_state.h"
#include <algorithm>
#include <functional>
#include <map>

namespace canopy::supervision {

namespace {
std::mutex g_dirLock;
std::map<std::pair<const Runtime*, std::string>, std::shared_ptr<RegistryState>, std::less<>> g_dir;
} // namespace

RegistryState::RegistryState(RegistryOptions options) : m_options(std::move(options)) {
    if (m_options.partitions < 1)
        m_options.partitions = 1;
    partitions.resize(static_cast<std::size_t>(m_options.partitions));
}

int RegistryState::pidPartition(const Pid& pid) const {
    return static_cast<int>(std::hash<std::uint64_t>{}(pid.id()) % static_cast<std::uint64_t>(m_options.partitions));
}

void RegistryState::removeOwner(const Pid& pid) {
    std::lock_guard g(lock);
    auto it = keysByPid.find(pid.id());
    if (it == keysByPid.end())
        return;
    for (const std::string& key : it->second) {
        auto k = byKey.find(key);
        if (k == byKey.end())
            continue;
        auto& v = k->second;
        v.erase(std::remove_if(v.begin(), v.end(), [&](const Item& e) { return e.pid == pid; }), v.end());
        if (v.empty())
            byKey.erase(k);
    }
    keysByPid.erase(it);
}

void RegistryState::clearPartition(int i) {
    std::lock_guard g(lock);
    for (auto k = byKey.begin(); k != byKey.end();) {
        auto& v = k->second;
        v.erase(std::remove_if(v.begin(), v.end(), [&](const Item& e) { return e.partition == i; }), v.end());
        k = v.empty() ? byKey.erase(k) : std::next(k);
    }
    for (auto p = keysByPid.begin(); p != keysByPid.end();) {
        const int part = static_cast<int>(std::hash<std::uint64_t>{}(p->first) %
                                          static_cast<std::uint64_t>(m_options.partitions));
        p = part == i ? keysByPid.erase(p) : std::next(p);
    }
}

std::shared_ptr<RegistryState> RegistryState::find(const Runtime& rt, std::string_view name) {
    std::lock_guard g(g_dirLock);
    auto it = g_dir.find(std::make_pair(&rt, std::string(name)));
    return it == g_dir.end() ? nullptr : it->second;
}

void RegistryState::publish(const Runtime& rt, std::shared_ptr<RegistryState> state) {
    std::lock_guard g(g_dirLock);
    std::string name = state->options().name;
    g_dir[std::make_pair(&rt, std::move(name))] = std::move(state);
}

void RegistryState::forget(const Runtime& rt, std::string_view name, const RegistryState* state) {
    std::lock_guard g(g_dirLock);
    auto it = g_dir.find(std::make_pair(&rt, std::string(name)));
    if (it != g_dir.end() && it->second.get() == state)
        g_dir.erase(it);
}

} // namespace canopy::supervision
