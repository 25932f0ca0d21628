#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/exit_message.h"
#include "runtime/supervision/child_start_scope.h"
#include "runtime/supervision/concurrent_shutdown.h"
#include "runtime/supervision/restart_intensity.h"
#include "runtime/supervision/spec_validation.h"
#include "runtime/supervision/supervisor_protocol.h"
#include "runtime/supervision/supervisor_reporter.h"
#include <exception>
#include <map>

namespace canopy {

using namespace supervision;

namespace {

/// One dynamic child: `{Mfa, Restart, Shutdown, Type, Modules}`, or `{restarting, Child}`.
struct DynChild {
    ChildSpec spec;
    Shutdown shutdown = Shutdown::timeout(5000);
    bool restarting = false;
    std::shared_ptr<ChildMeta> meta;
};

std::shared_ptr<ChildMeta> makeDynMeta(const ChildSpec& spec, const Shutdown& shutdown) {
    auto m = std::make_shared<ChildMeta>();
    m->kind = spec.type == ChildType::Supervisor ? ProcessKind::Supervisor : ProcessKind::Worker;
    m->restart = std::string(toString(spec.restart));
    m->shutdown = shutdown.toString();
    return m;
}

} // namespace

struct DynamicSupervisor::State {
    DynamicSupervisorOptions options;
    /// Keyed by pid (the old pid while restarting), ordered like an Erlang map of pids.
    std::map<std::uint64_t, std::pair<Pid, DynChild>> children;
    RestartIntensity intensity;
    SupervisorReporter reporter{"one_for_one", nullptr};
    Pid parent;
    std::shared_ptr<ChildMeta> meta;
    bool stopping = false;
    std::shared_ptr<ChildMeta> lastMeta;

    StartResult startOne(Context& ctx, const DynChild& c) {
        ChildStartScope scope(c.meta);
        try {
            const ChildSpec& s = c.spec;
            StartResult r = s.startWithExtra ? s.startWithExtra(ctx, options.extraArguments) : s.start(ctx);
            if (r.kind == StartResult::Kind::Ok && !r.pid.valid())
                return StartResult::ignore();
            return r;
        } catch (const std::exception& e) {
            return StartResult::failed(ExitReason::error(e.what()));
        } catch (...) {
            return StartResult::failed(ExitReason::error("unknown_exception"));
        }
    }
    void report(Context& ctx, RuntimeEventType type, std::uint64_t child, const ExitReason* reason = nullptr) {
        reporter.report(ctx, type, child, {}, reason);
    }
    void save(const Pid& pid, DynChild c) {
        auto [it, fresh] = children.try_emplace(pid.id(), pid, std::move(c));
        if (!fresh) it->second = {pid, std::move(c)};
    }
    /// The published metadata of a child started from spec: children alike share one (it is
    /// immutable, and a dynamic child's id is always "").
    std::shared_ptr<ChildMeta> metaFor(const ChildSpec& spec, const Shutdown& shutdown) {
        const ProcessKind kind = spec.type == ChildType::Supervisor ? ProcessKind::Supervisor : ProcessKind::Worker;
        if (!lastMeta || lastMeta->kind != kind || lastMeta->restart != toString(spec.restart) ||
            lastMeta->shutdown != shutdown.toString())
            lastMeta = makeDynMeta(spec, shutdown);
        return lastMeta;
    }

    void terminateAll(Context& ctx, std::vector<std::uint64_t> keys, std::function<void(Context&)> done);
    void shutdownSelf(Context& ctx, ExitReason reason);
    void childExited(Context& ctx, std::uint64_t key, const ExitReason& reason);
    void restart(Context& ctx, std::uint64_t key);
};

/// terminate_children/2: concurrent; restarting entries are skipped.
void DynamicSupervisor::State::terminateAll(Context& ctx, std::vector<std::uint64_t> keys,
                                            std::function<void(Context&)> done) {
    std::vector<ShutdownTarget> targets;
    for (std::uint64_t k : keys) {
        auto& [pid, c] = children.at(k);
        if (!c.restarting)
            targets.push_back({pid, c.shutdown, c.spec.restart, {}});
    }
    auto pids = std::make_shared<std::vector<std::uint64_t>>();
    for (const auto& t : targets)
        pids->push_back(t.pid.id());
    ConcurrentShutdown::run(
        ctx, std::move(targets),
        [this, pids](Context& c, const ExitReason& reason, const std::vector<std::size_t>& idx) {
            // One shutdown_error per distinct reason (the offender is `{nb_children,N}` in Elixir);
            // the event names the first child.
            report(c, RuntimeEventType::ShutdownError, (*pids)[idx.front()], &reason);
        },
        std::move(done));
}

void DynamicSupervisor::State::shutdownSelf(Context& ctx, ExitReason reason) {
    if (stopping)
        return;
    stopping = true;
    std::vector<std::uint64_t> keys;
    for (auto& [k, v] : children)
        keys.push_back(k);
    terminateAll(ctx, std::move(keys), [this, reason = std::move(reason)](Context& c) {
        children.clear();
        c.exit(reason);
    });
}

/// maybe_restart_child/5.
void DynamicSupervisor::State::childExited(Context& ctx, std::uint64_t key, const ExitReason& reason) {
    auto& [pid, c] = children.at(key);
    const Restart type = c.spec.restart;
    if (type == Restart::Permanent) {
        report(ctx, RuntimeEventType::ChildTerminated, key, &reason);
        restart(ctx, key);
        return;
    }
    if (reason.isCleanExit()) {
        children.erase(key);
        return;
    }
    report(ctx, RuntimeEventType::ChildTerminated, key, &reason);
    if (type == Restart::Transient)
        restart(ctx, key);
    else
        children.erase(key);
}

/// restart_child/3: add_restart, then start again; failures retry through the mailbox
/// (`{'$gen_restart', OldPid}`, a plain message).
void DynamicSupervisor::State::restart(Context& ctx, std::uint64_t key) {
    const bool ok = intensity.add(ctx.nowMs());
    if (meta) {
        if (intensity.inWindow() > 0) meta->recordRestart(intensity.newest(), std::size_t(intensity.inWindow()));
        meta->restartsInWindow.store(intensity.inWindow(), std::memory_order_relaxed);
    }
    if (!ok) {
        static const ExitReason kReached = ExitReason::error("reached_max_restart_intensity");
        report(ctx, RuntimeEventType::SupervisorGaveUp, key, &kReached);
        children.erase(key);
        shutdownSelf(ctx, ExitReason::shutdown());
        return;
    }
    auto& entry = children.at(key);
    DynChild& c = entry.second;
    StartResult r = startOne(ctx, c);
    if (r.kind == StartResult::Kind::Ok) {
        DynChild moved = std::move(c);
        moved.restarting = false;
        children.erase(key);
        Pid pid = r.pid;
        save(pid, std::move(moved));
        report(ctx, RuntimeEventType::ChildStarted, pid.id());
        report(ctx, RuntimeEventType::ChildRestarted, pid.id());
    } else if (r.kind == StartResult::Kind::Ignore) {
        children.erase(key);
    } else {
        report(ctx, RuntimeEventType::StartError, key, &r.error);
        c.restarting = true;
        ctx.send(ctx.self(), Message::of(TryAgainRestart{{}, entry.first}));
    }
}

DynamicSupervisor::DynamicSupervisor(DynamicSupervisorOptions options) : m_state(std::make_unique<State>()) {
    m_state->options = std::move(options);
}

DynamicSupervisor::~DynamicSupervisor() = default;

InitResult DynamicSupervisor::init(Context& ctx) {
    State& st = *m_state;
    st.parent = parent();
    setParent(Pid()); // see Supervisor::init
    ctx.trapExit(true);
    const DynamicSupervisorOptions& o = st.options;
    if (o.strategy != Strategy::OneForOne)
        return InitResult::stop(
            ExitReason::error("{supervisor_data,{invalid_strategy," + std::string(toString(o.strategy)) + "}}"));
    if (o.maxRestarts < 0)
        return InitResult::stop(
            ExitReason::error("{supervisor_data,{invalid_intensity," + std::to_string(o.maxRestarts) + "}}"));
    if (o.maxSeconds <= 0)
        return InitResult::stop(
            ExitReason::error("{supervisor_data,{invalid_period," + std::to_string(o.maxSeconds) + "}}"));
    st.intensity = RestartIntensity(o.maxRestarts, o.maxSeconds);
    st.reporter = SupervisorReporter("one_for_one", &st.intensity);

    auto meta = std::make_shared<ChildMeta>();
    if (const ChildMeta* given = ctx.meta()) {
        meta->childId = given->childId;
        meta->restart = given->restart;
        meta->shutdown = given->shutdown;
        meta->significant = given->significant;
    }
    meta->kind = ProcessKind::DynamicSupervisor;
    meta->strategy = "one_for_one";
    meta->maxRestarts = o.maxRestarts;
    meta->maxSeconds = o.maxSeconds;
    st.meta = meta;
    ctx.setMeta(meta);
    return InitResult::ok();
}

ServerResult DynamicSupervisor::handleCall(Context& ctx, Message& request, const From& from) {
    State& st = *m_state;
    if (auto* r = request.tryAs<StartChildRequest>()) {
        if (auto e = checkDynamicChild(r->spec))
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::InvalidSpec, *e));
        if (st.options.maxChildren >= 0 && st.children.size() >= static_cast<std::size_t>(st.options.maxChildren))
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::MaxChildren));
        DynChild c;
        c.shutdown = r->spec.effectiveShutdown();
        c.meta = st.metaFor(r->spec, c.shutdown);
        c.spec = std::move(r->spec);
        StartResult res = st.startOne(ctx, c);
        if (res.kind == StartResult::Kind::Error)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::StartFailed, res.error));
        if (res.kind == StartResult::Kind::Ignore)
            return ServerResult::replyWith(ChildResult::okPid(Pid()));
        st.save(res.pid, std::move(c));
        st.report(ctx, RuntimeEventType::ChildStarted, res.pid.id());
        return ServerResult::replyWith(ChildResult::okPid(res.pid));
    }
    if (auto* r = request.tryAs<TerminateChildRequest>()) {
        auto found = st.children.find(r->pid.id());
        if (!r->pid.valid() || found == st.children.end())
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::NotFound));
        std::uint64_t key = found->first;
        State* s = &st;
        From f = from;
        st.terminateAll(ctx, {key}, [s, key, f](Context& c) {
            s->children.erase(key);
            c.reply(f, Message::of(ChildResult{}));
        });
        return ServerResult::noreply();
    }
    if (request.is<WhichChildrenRequest>()) {
        std::vector<ChildInfo> out;
        out.reserve(st.children.size());
        for (auto& [k, v] : st.children) {
            const DynChild& c = v.second;
            out.push_back({{}, c.restarting ? Pid() : v.first, c.restarting ? ChildState::Restarting : ChildState::Running,
                           c.spec.type, c.spec.modules});
        }
        return ServerResult::replyWith(std::move(out));
    }
    if (request.is<CountChildrenRequest>()) {
        ChildCounts n;
        for (auto& [k, v] : st.children) {
            const DynChild& c = v.second;
            ++n.specs;
            if (c.spec.type == ChildType::Supervisor)
                ++n.supervisors;
            else
                ++n.workers;
            if (!c.restarting)
                ++n.active;
        }
        return ServerResult::replyWith(n);
    }
    if (request.is<RestartChildRequest>() || request.is<DeleteChildRequest>())
        return ServerResult::replyWith(ChildResult::fail(SupervisorError::SimpleOneForOne));
    if (request.is<GetChildspecRequest>())
        return ServerResult::replyWith(std::optional<ChildSpec>());
    return ServerResult::noreply();
}

ServerResult DynamicSupervisor::handleCast(Context& ctx, Message& request) {
    if (auto* s = request.tryAs<StopRequest>())
        m_state->shutdownSelf(ctx, s->reason);
    return ServerResult::noreply();
}

ServerResult DynamicSupervisor::handleInfo(Context& ctx, Message& msg) {
    State& st = *m_state;
    if (st.stopping)
        return ServerResult::noreply();
    if (auto* e = msg.tryAs<ExitMessage>()) {
        if (e->from == st.parent) {
            st.shutdownSelf(ctx, e->reason);
            return ServerResult::noreply();
        }
        auto found = st.children.find(e->from.id());
        if (found != st.children.end() && !found->second.second.restarting)
            st.childExited(ctx, found->first, e->reason);
        return ServerResult::noreply();
    }
    if (auto* t = msg.tryAs<TryAgainRestart>()) {
        auto found = st.children.find(t->oldPid.id());
        if (found != st.children.end() && found->second.second.restarting)
            st.restart(ctx, found->first);
    }
    return ServerResult::noreply();
}

void DynamicSupervisor::terminate(Context& ctx, const ExitReason&) {
    // Only reached when the loop stops us outside shutdownSelf (an exception): signal, cannot wait.
    for (auto& [k, v] : m_state->children) {
        if (v.second.restarting)
            continue;
        ctx.unlink(v.first);
        ctx.exit(v.first, v.second.shutdown.kind() == Shutdown::Kind::BrutalKill ? ExitReason::kill()
                                                                                 : ExitReason::shutdown());
    }
    m_state->children.clear();
}

StartResult DynamicSupervisor::startLink(Context& ctx, DynamicSupervisorOptions options, std::string name) {
    ServerOptions o = ChildSpec::startOptions();
    o.name = std::move(name);
    return ctx.startLink(std::make_unique<DynamicSupervisor>(std::move(options)), std::move(o));
}

StartResult DynamicSupervisor::start(Runtime& rt, DynamicSupervisorOptions options, std::string name) {
    ServerOptions o;
    o.name = std::move(name);
    return rt.startServer(std::make_unique<DynamicSupervisor>(std::move(options)), std::move(o));
}

ChildResult DynamicSupervisor::startChild(Runtime& rt, const Pid& sup, ChildSpec spec, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(StartChildRequest{std::move(spec)}), timeoutMs);
}

ChildResult DynamicSupervisor::terminateChild(Runtime& rt, const Pid& sup, const Pid& child, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(TerminateChildRequest{{}, child}), timeoutMs);
}

void DynamicSupervisor::startChild(Context& ctx, const Pid& sup, ChildSpec spec, Then<ChildResult> then,
                                   std::int64_t timeoutMs) {
    ctx.call(sup, Message::of(StartChildRequest{std::move(spec)}), timeoutMs,
             [then = std::move(then)](Context& c, Message reply) {
                 if (then)
                     then(c, reply.is<ChildResult>() ? std::move(reply.as<ChildResult>()) : ChildResult{});
             });
}

void DynamicSupervisor::terminateChild(Context& ctx, const Pid& sup, Pid child, Then<ChildResult> then,
                                       std::int64_t timeoutMs) {
    ctx.call(sup, Message::of(TerminateChildRequest{{}, std::move(child)}), timeoutMs,
             [then = std::move(then)](Context& c, Message reply) {
                 if (then)
                     then(c, reply.is<ChildResult>() ? std::move(reply.as<ChildResult>()) : ChildResult{});
             });
}

} // namespace canopy
