#include "app/canopy-scenario/scenario_runner.h"
#include "app/canopy-scenario/crash_request.h"
#include "app/canopy-scenario/scenario_worker.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace canopy {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

std::string str(const json& j, const char* key, const std::string& fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int num(const json& j, const char* key, int fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<int>() : fallback;
}

Restart parseRestart(const std::string& s) {
    if (s == "transient")
        return Restart::Transient;
    if (s == "temporary")
        return Restart::Temporary;
    return Restart::Permanent;
}

Strategy parseStrategy(const std::string& s) {
    if (s == "one_for_all")
        return Strategy::OneForAll;
    if (s == "rest_for_one")
        return Strategy::RestForOne;
    return Strategy::OneForOne;
}

AutoShutdown parseAutoShutdown(const std::string& s) {
    if (s == "any_significant")
        return AutoShutdown::AnySignificant;
    if (s == "all_significant")
        return AutoShutdown::AllSignificant;
    return AutoShutdown::Never;
}

/// The child fields every node may carry: restart, shutdown, significant.
void applyChildFields(ChildSpec& spec, const json& node) {
    spec.restart = parseRestart(str(node, "restart", "permanent"));
    if (auto it = node.find("shutdown"); it != node.end()) {
        if (it->is_number())
            spec.shutdown = Shutdown::timeout(it->get<std::int64_t>());
        else if (*it == "brutal_kill")
            spec.shutdown = Shutdown::brutalKill();
        else if (*it == "infinity")
            spec.shutdown = Shutdown::infinity();
    }
    if (auto it = node.find("significant"); it != node.end() && it->is_boolean())
        spec.significant = it->get<bool>();
}

/// Splits `a/b/c` into (`a/b`, `c`).
std::pair<std::string, std::string> splitPath(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return {std::string(), path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

} // namespace

ScenarioRunner::ScenarioRunner(json scenario, unsigned threads)
    : m_scenario(std::move(scenario)), m_sink(&m_trace), m_threads(threads) {}

ScenarioRunner::~ScenarioRunner() {
    if (m_rt)
        m_rt->setEventSink(nullptr);
    m_rt.reset();
}

void ScenarioRunner::registerKinds(const json& node, const std::string& path) {
    if (node.contains("supervisor")) {
        m_kinds[path] = ScenarioTrace::Kind::Supervisor;
        for (const auto& child : node.value("children", json::array()))
            registerKinds(child, path + "/" + child.at("id").get<std::string>());
    } else if (node.contains("dynamic_supervisor")) {
        m_kinds[path] = ScenarioTrace::Kind::DynamicSupervisor;
    } else {
        m_kinds[path] = ScenarioTrace::Kind::Worker;
    }
}

std::optional<SupervisorSpec> ScenarioRunner::supervisorSpec(const json& node, const std::string& path) {
    const json flags = node.value("supervisor", json::object());
    SupervisorSpec spec;
    spec.flags.strategy = parseStrategy(str(flags, "strategy", "one_for_one"));
    spec.flags.maxRestarts = num(flags, "max_restarts", 3);
    spec.flags.maxSeconds = std::max(1, num(flags, "max_seconds", 5));
    spec.flags.autoShutdown = parseAutoShutdown(str(flags, "auto_shutdown", "never"));
    for (const auto& child : node.value("children", json::array()))
        spec.children.push_back(childSpec(child, path));
    return spec;
}

DynamicSupervisorOptions ScenarioRunner::dynamicOptions(const json& node) {
    const json flags = node.value("dynamic_supervisor", json::object());
    DynamicSupervisorOptions o;
    o.maxRestarts = num(flags, "max_restarts", 3);
    o.maxSeconds = std::max(1, num(flags, "max_seconds", 5));
    if (auto it = flags.find("max_children"); it != flags.end() && it->is_number())
        o.maxChildren = it->get<int>();
    return o;
}

ChildSpec ScenarioRunner::workerSpec(const json& node, const std::string& path) {
    ChildSpec spec;
    spec.id = node.at("id").get<std::string>();
    const auto mode = ScenarioWorker::parseMode(str(node, "init", "ok"));
    ScenarioTrace* trace = &m_trace;
    spec.start = [trace, path, mode](Context& ctx) {
        return ctx.startLink(std::make_unique<ScenarioWorker>(trace, path, mode), ChildSpec::startOptions());
    };
    spec.type = ChildType::Worker;
    applyChildFields(spec, node);
    return spec;
}

ChildSpec ScenarioRunner::childSpec(const json& node, const std::string& parentPath) {
    const std::string id = node.at("id").get<std::string>();
    const std::string path = parentPath + "/" + id;
    if (!node.contains("supervisor") && !node.contains("dynamic_supervisor"))
        return workerSpec(node, path);

    ChildSpec spec;
    spec.id = id;
    spec.type = ChildType::Supervisor;
    ScenarioTrace* trace = &m_trace;
    if (node.contains("supervisor")) {
        // Like the oracle: the supervisor's path is known from its init on (its children's reports
        // name it), it is traced (sup_stop) only once its start succeeded, and sup_start is
        // recorded by the starting parent right after start_link returns.
        spec.start = [this, trace, node, path](Context& ctx) {
            StartResult r = Supervisor::startLink(ctx, Supervisor::Configure([this, trace, node, path](Context& c) {
                trace->bind(c.self(), path, ScenarioTrace::Kind::Supervisor);
                return supervisorSpec(node, path);
            }));
            if (r.isOk()) {
                trace->event("sup_start", path);
                trace->watch(r.pid.id());
            }
            return r;
        };
    } else {
        const DynamicSupervisorOptions options = dynamicOptions(node);
        spec.start = [trace, options, path](Context& ctx) {
            StartResult r = DynamicSupervisor::startLink(ctx, options);
            if (r.isOk()) {
                trace->event("sup_start", path);
                trace->bind(r.pid, path, ScenarioTrace::Kind::DynamicSupervisor);
                trace->watch(r.pid.id());
            }
            return r;
        };
    }
    applyChildFields(spec, node);
    return spec;
}

std::vector<std::string> ScenarioRunner::run() {
    RuntimeOptions options;
    options.manual = m_threads == 0;
    options.workers = m_threads;
    m_rt = std::make_unique<Runtime>(options);
    m_rt->setEventSink(&m_sink);

    const json& tree = m_scenario.at("tree");
    const std::string rootPath = tree.at("id").get<std::string>();
    registerKinds(tree, rootPath);
    if (!tree.contains("supervisor"))
        throw std::runtime_error("the root must be a supervisor");

    StartResult root = Supervisor::start(*m_rt, Supervisor::Configure([this, tree, rootPath](Context& c) {
        m_trace.bind(c.self(), rootPath, ScenarioTrace::Kind::Supervisor);
        return supervisorSpec(tree, rootPath);
    }));
    if (root.isOk()) {
        m_trace.event("sup_start", rootPath);
        m_trace.watch(root.pid.id());
    }
    settle();
    if (root.isOk()) {
        int n = 1;
        for (const auto& step : m_scenario.value("steps", json::array())) {
            runStep(step, n++);
            settle();
        }
    }
    settle();

    ojson fin;
    fin["event"] = "final";
    fin["tree"] = finalNode(rootPath);
    m_trace.add(fin.dump());
    return m_trace.lines();
}

void ScenarioRunner::settle() {
    if (m_threads) {
        m_rt->waitIdle();
        std::this_thread::sleep_for(std::chrono::milliseconds(kSettleMs));
        m_rt->waitIdle();
        return;
    }
    m_rt->runUntilIdle();
    m_rt->advanceClock(kSettleMs);
    m_rt->runUntilIdle();
}

Pid ScenarioRunner::lookup(const std::string& path) const {
    Pid pid = m_trace.pidOf(path);
    return pid && m_rt->alive(pid) ? pid : Pid();
}

bool ScenarioRunner::isDynamic(const std::string& path) const {
    auto it = m_kinds.find(path);
    return it != m_kinds.end() && it->second == ScenarioTrace::Kind::DynamicSupervisor;
}

void ScenarioRunner::runStep(const json& step, int n) {
    if (step.contains("crash")) {
        const std::string path = step.at("crash").get<std::string>();
        Pid pid = lookup(path);
        if (!pid) {
            m_trace.result(n, "error:not_running");
            return;
        }
        m_rt->call(pid, Message::of(CrashRequest{ExitReason::parse(str(step, "reason", "boom"))}));
    } else if (step.contains("kill")) {
        const std::string path = step.at("kill").get<std::string>();
        Pid pid = lookup(path);
        if (!pid) {
            m_trace.result(n, "error:not_running");
            return;
        }
        // A killed process runs no code: record its end first, then kill (as the oracle does).
        ScenarioTrace::Kind kind = ScenarioTrace::Kind::Worker;
        m_trace.known(pid.id(), &kind);
        if (m_trace.unwatch(pid.id()))
            m_trace.event(kind == ScenarioTrace::Kind::Worker ? "stop" : "sup_stop", path, ExitReason::killed());
        m_rt->exit(pid, ExitReason::kill());
    } else if (step.contains("fail_next_starts")) {
        m_trace.failNextStarts(step.at("fail_next_starts").get<std::string>(), num(step, "count", 1));
    } else if (step.contains("sleep_ms")) {
        const auto ms = step.at("sleep_ms").get<std::int64_t>();
        if (m_threads)
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        else
            m_rt->advanceClock(ms);
    } else if (step.contains("start_child")) {
        const std::string supPath = step.at("start_child").get<std::string>();
        const json& child = step.at("child");
        Pid sup = lookup(supPath);
        const bool dynamic = isDynamic(supPath);
        ChildSpec spec = workerSpec(child, supPath + "/" + child.at("id").get<std::string>());
        spec.significant = false; // the oracle's start_child spec carries no `significant`
        m_kinds.emplace(supPath + "/" + spec.id, ScenarioTrace::Kind::Worker);
        ChildResult r = dynamic ? DynamicSupervisor::startChild(*m_rt, sup, std::move(spec))
                                : Supervisor::startChild(*m_rt, sup, std::move(spec));
        m_trace.result(n, resultText(r, dynamic));
    } else if (step.contains("terminate_child")) {
        const std::string path = step.at("terminate_child").get<std::string>();
        auto [supPath, id] = splitPath(path);
        Pid sup = lookup(supPath);
        if (isDynamic(supPath)) {
            Pid child = lookup(path);
            m_trace.result(n, child ? resultText(DynamicSupervisor::terminateChild(*m_rt, sup, child), false)
                                    : std::string("error:not_found"));
        } else {
            m_trace.result(n, resultText(Supervisor::terminateChild(*m_rt, sup, id), false));
        }
    } else if (step.contains("restart_child")) {
        auto [supPath, id] = splitPath(step.at("restart_child").get<std::string>());
        m_trace.result(n, resultText(Supervisor::restartChild(*m_rt, lookup(supPath), id), false));
    } else if (step.contains("delete_child")) {
        auto [supPath, id] = splitPath(step.at("delete_child").get<std::string>());
        m_trace.result(n, resultText(Supervisor::deleteChild(*m_rt, lookup(supPath), id), false));
    } else if (step.contains("stop")) {
        Pid pid = lookup(step.at("stop").get<std::string>());
        if (pid)
            Supervisor::stop(*m_rt, pid, ExitReason::shutdown());
    } else {
        throw std::runtime_error("unknown step: " + step.dump());
    }
}

std::string ScenarioRunner::resultText(const ChildResult& r, bool dynamicStart) {
    if (r.ok())
        return dynamicStart && !r.pid ? "ignore" : "ok";
    switch (r.error) {
    case SupervisorError::NotFound: return "error:not_found";
    case SupervisorError::Running: return "error:running";
    case SupervisorError::Restarting: return "error:restarting";
    case SupervisorError::AlreadyStarted: return "error:already_started";
    case SupervisorError::AlreadyPresent: return "error:already_present";
    case SupervisorError::MaxChildren: return "error:max_children";
    case SupervisorError::SimpleOneForOne: return "error:dynamic";
    case SupervisorError::CallFailed: return "error:noproc";
    default: return "error:start_failed";
    }
}

ojson ScenarioRunner::finalNode(const std::string& path) {
    Pid pid = lookup(path);
    if (!pid)
        return nullptr;
    ojson node;
    node["path"] = path;
    ojson children = ojson::array();
    if (isDynamic(path)) {
        std::set<std::uint64_t> live;
        for (const ChildInfo& c : Supervisor::whichChildren(*m_rt, pid))
            if (c.state == ChildState::Running && c.pid)
                live.insert(c.pid.id());
        std::vector<std::string> ids;
        for (const std::string& p : m_trace.pathsOf(live))
            ids.push_back(splitPath(p).second);
        std::sort(ids.begin(), ids.end());
        for (const std::string& id : ids) {
            ojson c;
            c["id"] = id;
            c["state"] = "running";
            children.push_back(c);
        }
        node["active"] = live.size();
    } else {
        std::vector<ChildInfo> kids = Supervisor::whichChildren(*m_rt, pid);
        std::reverse(kids.begin(), kids.end()); // which_children is in reverse start order
        const ChildCounts counts = Supervisor::countChildren(*m_rt, pid);
        for (const ChildInfo& k : kids) {
            ojson c;
            c["id"] = k.id;
            c["state"] = k.state == ChildState::Running      ? "running"
                       : k.state == ChildState::Restarting ? "restarting"
                                                           : "stopped";
            if (k.type == ChildType::Supervisor && k.state == ChildState::Running)
                c["sup"] = finalNode(path + "/" + k.id);
            children.push_back(c);
        }
        node["active"] = counts.active;
    }
    node["children"] = children;
    return node;
}

} // namespace canopy
