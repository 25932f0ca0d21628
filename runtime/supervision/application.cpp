#include "runtime/supervision/application.h"
#include "runtime/supervision/supervisor.h"
#include <algorithm>
#include <map>
#include <mutex>

namespace canopy {

namespace {
std::mutex g_lock;
/// Runtime → started application names (start order).
std::map<const Runtime*, std::vector<std::string>> g_apps;
} // namespace

StartResult Application::start(Runtime& rt, const std::string& name, SupervisorSpec spec) {
    StartResult r = Supervisor::start(rt, std::move(spec), name);
    if (r.isOk()) {
        std::lock_guard g(g_lock);
        auto& v = g_apps[&rt];
        v.erase(std::remove(v.begin(), v.end(), name), v.end());
        v.push_back(name);
    }
    return r;
}

bool Application::stop(Runtime& rt, const std::string& name, std::int64_t timeoutMs) {
    Pid p = rt.whereis(name);
    {
        std::lock_guard g(g_lock);
        auto& v = g_apps[&rt];
        v.erase(std::remove(v.begin(), v.end(), name), v.end());
    }
    if (!p.valid())
        return false;
    return Supervisor::stop(rt, p, ExitReason::shutdown(), timeoutMs);
}

Pid Application::root(const Runtime& rt, const std::string& name) { return rt.whereis(name); }

std::vector<std::string> Application::running(const Runtime& rt) {
    std::vector<std::string> out;
    std::lock_guard g(g_lock);
    auto it = g_apps.find(&rt);
    if (it == g_apps.end())
        return out;
    for (const std::string& n : it->second)
        if (rt.whereis(n).valid())
            out.push_back(n);
    return out;
}

} // namespace canopy
