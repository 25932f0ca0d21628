#include "runtime/supervision/supervisor.h"
#include "runtime/exit_message.h"
#include "runtime/supervision/child_start_scope.h"
#include "runtime/supervision/restart_intensity.h"
#include "runtime/supervision/shutdown_reaper.h"
#include "runtime/supervision/shutdown_sequence.h"
#include "runtime/supervision/spec_validation.h"
#include "runtime/supervision/supervisor_protocol.h"
#include "runtime/supervision/supervisor_reporter.h"
#include <exception>
#include <list>
#include <unordered_map>

namespace canopy {

using namespace supervision;

namespace {

/// One child record (OTP's #child{}).
struct Child {
    ChildSpec spec;
    /// The pid while Running (the old, dead pid between its 'EXIT' and the restart decision).
    Pid pid;
    ChildState state = ChildState::Undefined;
    /// `{restarting, OldPid}`.
    Pid restartingOld;
    std::shared_ptr<ChildMeta> meta;
};
using ChildList = std::list<Child>;
using ChildIt = ChildList::iterator;

std::shared_ptr<ChildMeta> makeChildMeta(const ChildSpec& spec) {
    auto m = std::make_shared<ChildMeta>();
    m->childId = spec.id;
    m->kind = spec.type == ChildType::Supervisor ? ProcessKind::Supervisor : ProcessKind::Worker;
    m->restart = std::string(toString(spec.restart));
    m->shutdown = spec.effectiveShutdown().toString();
    m->significant = spec.significant;
    return m;
}

/// Runs a start function: exceptions and malformed results become `{error,X}` (do_start_child_i/3).
StartResult runStart(Context& ctx, const ChildSpec& spec, const std::shared_ptr<ChildMeta>& meta,
                     const std::vector<std::any>* extra = nullptr) {
    ChildStartScope scope(meta);
    try {
        StartResult r = (extra && spec.startWithExtra) ? spec.startWithExtra(ctx, *extra)
                        : spec.start                  ? spec.start(ctx)
                                                      : spec.startWithExtra(ctx, {});
        if (r.kind == StartResult::Kind::Ok && !r.pid.valid())
            return StartResult::ignore(); // {ok,undefined}
        return r;
    } catch (const std::exception& e) {
        return StartResult::failed(ExitReason::error(e.what()));
    } catch (...) {
        return StartResult::failed(ExitReason::error("unknown_exception"));
    }
}

template <class T> T replyAs(CallOutcome& out, T fallback) {
    if (out.ok() && out.reply.is<T>())
        return std::move(out.reply.as<T>());
    return fallback;
}

template <class T> void callThen(Context& ctx, const Pid& sup, Message req, std::int64_t timeoutMs,
                                 std::function<void(Context&, T)> then) {
    ctx.call(sup, std::move(req), timeoutMs, [then = std::move(then)](Context& c, Message reply) {
        if (then)
            then(c, reply.is<T>() ? std::move(reply.as<T>()) : T{});
    });
}

} // namespace

struct Supervisor::State {
    Configure configure;
    SupervisorFlags flags;
    ChildList children;
    std::unordered_map<std::string, ChildIt> byId;
    std::unordered_map<std::uint64_t, ChildIt> byPid;
    RestartIntensity intensity;
    SupervisorReporter reporter{"one_for_one", nullptr};
    Pid parent;
    std::shared_ptr<ChildMeta> meta;
    bool stopping = false;
    ExitReason lastStartError;

    // --- child table ---
    ChildIt append(ChildSpec spec) {
        children.push_back(Child{});
        ChildIt it = std::prev(children.end());
        it->meta = makeChildMeta(spec);
        it->spec = std::move(spec);
        byId.emplace(it->spec.id, it);
        return it;
    }
    void setRunning(ChildIt it, Pid pid) {
        if (it->state == ChildState::Running)
            byPid.erase(it->pid.id());
        it->pid = std::move(pid);
        it->state = ChildState::Running;
        it->restartingOld = Pid();
        byPid[it->pid.id()] = it;
    }
    /// pid := undefined.
    void clearPid(ChildIt it) {
        if (it->state == ChildState::Running)
            byPid.erase(it->pid.id());
        it->pid = Pid();
        it->state = ChildState::Undefined;
        it->restartingOld = Pid();
    }
    void setRestarting(ChildIt it, Pid old) {
        if (it->state == ChildState::Running)
            byPid.erase(it->pid.id());
        it->pid = Pid();
        it->state = ChildState::Restarting;
        it->restartingOld = std::move(old);
    }
    void remove(ChildIt it) {
        if (it->state == ChildState::Running)
            byPid.erase(it->pid.id());
        byId.erase(it->spec.id);
        children.erase(it);
    }
    /// del_child: temporary children are forgotten, others get pid undefined.
    void delChild(ChildIt it) {
        if (it->spec.restart == Restart::Temporary)
            remove(it);
        else
            clearPid(it);
    }
    void updateWindow() {
        if (!meta)
            return;
        if (intensity.inWindow() > 0) meta->recordRestart(intensity.newest(), std::size_t(intensity.inWindow()));
        meta->restartsInWindow.store(intensity.inWindow(), std::memory_order_relaxed);
    }
    void report(Context& ctx, RuntimeEventType type, const Pid& child, const std::string& id,
                const ExitReason* reason = nullptr) {
        reporter.report(ctx, type, child.id(), id, reason);
    }

    // --- OTP's algorithms ---
    StartResult startOne(Context& ctx, ChildIt it) { return runStart(ctx, it->spec, it->meta); }
    void terminateChildren(Context& ctx, std::function<void(Context&)> done);
    void terminateFrom(Context& ctx, ChildIt from, std::function<void(Context&)> done);
    void shutdownSelf(Context& ctx, ExitReason reason);
    void childExited(Context& ctx, ChildIt it, const ExitReason& reason);
    void restart(Context& ctx, ChildIt it);
    void restartMultiple(Context& ctx, ChildIt it, Pid old, bool all);
    ChildIt startChildren(Context& ctx, ChildIt from, bool restarting, Pid crashedOld, ChildIt crashed);
    void autoShutdown(Context& ctx, bool significant);
    void abandonChildren(Context& ctx);
};

/// terminate_children/2 over [from, end) of the children, in reverse start order: running ones go
/// through the shutdown protocol (unexpected reasons → shutdown_error), temporaries are deleted,
/// the others get pid undefined.
void Supervisor::State::terminateFrom(Context& ctx, ChildIt from, std::function<void(Context&)> done) {
    std::vector<ShutdownTarget> targets;
    auto slots = std::make_shared<std::vector<ChildIt>>();
    std::vector<ChildIt> idle;
    for (auto it = children.end(); it != from;) {
        --it;
        if (it->state == ChildState::Running) {
            targets.push_back({it->pid, it->spec.effectiveShutdown(), it->spec.restart, it->spec.id});
            slots->push_back(it);
        } else {
            idle.push_back(it);
        }
    }
    for (ChildIt it : idle)
        delChild(it);
    ShutdownSequence::run(
        ctx, std::move(targets),
        [this, slots](Context& c, std::size_t i, const ExitReason& reason, bool clean) {
            ChildIt it = (*slots)[i];
            if (!clean)
                report(c, RuntimeEventType::ShutdownError, it->pid, it->spec.id, &reason);
            delChild(it);
        },
        std::move(done));
}

void Supervisor::State::terminateChildren(Context& ctx, std::function<void(Context&)> done) {
    terminateFrom(ctx, children.begin(), std::move(done));
}

/// {stop, Reason}: terminate every child in reverse start order, then exit Reason.
void Supervisor::State::shutdownSelf(Context& ctx, ExitReason reason) {
    if (stopping)
        return;
    stopping = true;
    terminateChildren(ctx, [reason = std::move(reason)](Context& c) { c.exit(reason); });
}

/// do_restart/3 (§4.3).
void Supervisor::State::childExited(Context& ctx, ChildIt it, const ExitReason& reason) {
    const Restart type = it->spec.restart;
    if (type == Restart::Permanent) {
        report(ctx, RuntimeEventType::ChildTerminated, it->pid, it->spec.id, &reason);
        restart(ctx, it);
        return;
    }
    if (reason.isCleanExit()) {
        const bool significant = it->spec.significant;
        delChild(it);
        autoShutdown(ctx, significant);
        return;
    }
    report(ctx, RuntimeEventType::ChildTerminated, it->pid, it->spec.id, &reason);
    if (type == Restart::Transient) {
        restart(ctx, it);
        return;
    }
    const bool significant = it->spec.significant;
    delChild(it);
    autoShutdown(ctx, significant);
}

/// do_auto_shutdown/2 (§4.8).
void Supervisor::State::autoShutdown(Context& ctx, bool significant) {
    if (!significant || flags.autoShutdown == AutoShutdown::Never)
        return;
    if (flags.autoShutdown == AutoShutdown::AllSignificant) {
        for (const Child& c : children)
            if (c.spec.significant && c.state == ChildState::Running)
                return;
    }
    shutdownSelf(ctx, ExitReason::shutdown());
}

/// restart/2: add_restart once (a group restart counts once), then by strategy.
void Supervisor::State::restart(Context& ctx, ChildIt it) {
    Pid old = it->state == ChildState::Restarting ? it->restartingOld : it->pid;
    if (it->state == ChildState::Running)
        byPid.erase(it->pid.id()); // the dead pid is no longer a child
    const bool withinLimit = intensity.add(ctx.nowMs());
    updateWindow();
    if (!withinLimit) {
        static const ExitReason kReached = ExitReason::error("reached_max_restart_intensity");
        report(ctx, RuntimeEventType::SupervisorGaveUp, old, it->spec.id, &kReached);
        it->state = ChildState::Undefined; // byPid already cleared
        delChild(it);
        shutdownSelf(ctx, ExitReason::shutdown());
        return;
    }
    switch (flags.strategy) {
    case Strategy::OneForOne: {
        it->state = ChildState::Undefined;
        it->pid = Pid();
        StartResult r = startOne(ctx, it);
        if (r.kind == StartResult::Kind::Ok) {
            setRunning(it, r.pid);
            report(ctx, RuntimeEventType::ChildStarted, it->pid, it->spec.id);
            report(ctx, RuntimeEventType::ChildRestarted, it->pid, it->spec.id);
        } else if (r.kind == StartResult::Kind::Ignore) {
            clearPid(it);
        } else {
            setRestarting(it, old);
            report(ctx, RuntimeEventType::StartError, old, it->spec.id, &r.error);
            ctx.cast(ctx.self(), Message::of(TryAgainRestart{it->spec.id, {}}));
        }
        return;
    }
    case Strategy::RestForOne: restartMultiple(ctx, it, std::move(old), false); return;
    case Strategy::OneForAll: restartMultiple(ctx, it, std::move(old), true); return;
    }
}

/// restart_multiple_children/3: terminate the group (all others, or the ones after `it`), then start
/// it in order; a failed start leaves that child restarting and retries through the mailbox.
void Supervisor::State::restartMultiple(Context& ctx, ChildIt it, Pid old, bool all) {
    it->state = ChildState::Undefined; // split_child / del_child: pid := undefined
    it->pid = Pid();
    it->restartingOld = Pid();
    ChildIt from = all ? children.begin() : it;
    terminateFrom(ctx, from, [this, it, old, all](Context& c) {
        ChildIt start = all ? children.begin() : it;
        ChildIt failed = startChildren(c, start, true, old, it);
        if (failed != children.end())
            c.cast(c.self(), Message::of(TryAgainRestart{failed->spec.id, {}}));
    });
}

/// start_children/2 over [from, end): returns the child that failed (children.end() if none).
ChildIt Supervisor::State::startChildren(Context& ctx, ChildIt from, bool restarting, Pid crashedOld, ChildIt crashed) {
    for (ChildIt it = from; it != children.end();) {
        StartResult r = startOne(ctx, it);
        if (r.kind == StartResult::Kind::Ok) {
            setRunning(it, r.pid);
            report(ctx, RuntimeEventType::ChildStarted, it->pid, it->spec.id);
            if (restarting)
                report(ctx, RuntimeEventType::ChildRestarted, it->pid, it->spec.id);
            ++it;
        } else if (r.kind == StartResult::Kind::Ignore) {
            ChildIt next = std::next(it);
            if (it->spec.restart == Restart::Temporary)
                remove(it);
            else
                clearPid(it);
            it = next;
        } else {
            report(ctx, RuntimeEventType::StartError, Pid(), it->spec.id, &r.error);
            lastStartError = r.error;
            if (restarting)
                setRestarting(it, it == crashed ? crashedOld : Pid());
            return it;
        }
    }
    return children.end();
}


/// init_children/2 failed: stop the children started so far, in reverse order. init cannot wait
/// (it runs inline in the caller), so they are unlinked and signalled here (shutdown, or kill for
/// brutal_kill) and stop on their own; see README "Deviations".
void Supervisor::State::abandonChildren(Context& ctx) {
    std::vector<ShutdownTarget> timed;
    for (auto it = children.end(); it != children.begin();) {
        --it;
        if (it->state != ChildState::Running)
            continue;
        Pid pid = it->pid;
        const Shutdown shutdown = it->spec.effectiveShutdown();
        const bool brutal = shutdown.kind() == Shutdown::Kind::BrutalKill;
        clearPid(it);
        ctx.unlink(pid);
        ctx.exit(pid, brutal ? ExitReason::kill() : ExitReason::shutdown());
        // Inside init the children have not been scheduled yet: run this one now so it stops
        // before the next (reverse start order) and before init returns, as OTP's blocking init does.
        ctx.settleStarted();
        if (shutdown.kind() == Shutdown::Kind::Timeout && ctx.runtime().alive(pid))
            timed.push_back({pid, shutdown, it->spec.restart, it->spec.id});
    }
    // Their shutdown timeouts are still enforced (kill + shutdown_error), by a helper process.
    if (!timed.empty())
        ctx.spawn(std::make_unique<ShutdownReaper>(std::move(timed), ctx.self().id(), std::string(toString(flags.strategy))));
}

Supervisor::Supervisor(SupervisorSpec spec) : m_state(std::make_unique<State>()) {
    m_state->configure = [spec = std::move(spec)](Context&) -> std::optional<SupervisorSpec> { return spec; };
}

Supervisor::Supervisor(Configure configure) : m_state(std::make_unique<State>()) {
    m_state->configure = std::move(configure);
}

Supervisor::~Supervisor() = default;

InitResult Supervisor::init(Context& ctx) {
    State& st = *m_state;
    // The supervisor handles its parent's 'EXIT' itself (its shutdown must wait for children
    // without blocking), so the GenServer loop must not intercept it.
    st.parent = parent();
    setParent(Pid());
    ctx.trapExit(true);

    std::optional<SupervisorSpec> spec;
    try {
        spec = st.configure ? st.configure(ctx) : std::optional<SupervisorSpec>(SupervisorSpec{});
    } catch (const std::exception& e) {
        return InitResult::stop(ExitReason::error(e.what()));
    }
    if (!spec)
        return InitResult::ignore();
    if (auto e = checkFlags(spec->flags))
        return InitResult::stop(ExitReason::error("{supervisor_data," + e->toString() + "}"));
    if (auto e = checkStartSpec(spec->children, spec->flags.autoShutdown))
        return InitResult::stop(ExitReason::error("{start_spec," + e->toString() + "}"));

    st.flags = spec->flags;
    st.intensity = RestartIntensity(st.flags.maxRestarts, st.flags.maxSeconds);
    st.reporter = SupervisorReporter(toString(st.flags.strategy), &st.intensity);

    auto meta = std::make_shared<ChildMeta>();
    if (const ChildMeta* given = ctx.meta()) {
        meta->childId = given->childId;
        meta->restart = given->restart;
        meta->shutdown = given->shutdown;
        meta->significant = given->significant;
    }
    meta->kind = ProcessKind::Supervisor;
    meta->strategy = std::string(toString(st.flags.strategy));
    meta->maxRestarts = st.flags.maxRestarts;
    meta->maxSeconds = st.flags.maxSeconds;
    st.meta = meta;
    ctx.setMeta(meta);

    for (ChildSpec& c : spec->children)
        st.append(std::move(c));
    ChildIt failed = st.startChildren(ctx, st.children.begin(), false, Pid(), st.children.end());
    if (failed != st.children.end()) {
        std::string id = failed->spec.id;
        st.abandonChildren(ctx);
        return InitResult::stop(
            ExitReason::shutdown("{failed_to_start_child," + id + "," + st.lastStartError.toString() + "}"));
    }
    return InitResult::ok();
}

ServerResult Supervisor::handleCall(Context& ctx, Message& request, const From& from) {
    State& st = *m_state;
    if (auto* r = request.tryAs<StartChildRequest>()) {
        if (auto e = checkChildSpec(r->spec, st.flags.autoShutdown))
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::InvalidSpec, *e));
        auto found = st.byId.find(r->spec.id);
        if (found != st.byId.end()) {
            ChildIt it = found->second;
            if (it->state == ChildState::Running)
                return ServerResult::replyWith(ChildResult{SupervisorError::AlreadyStarted, it->pid, {}});
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::AlreadyPresent));
        }
        auto meta = makeChildMeta(r->spec);
        StartResult res = runStart(ctx, r->spec, meta);
        if (res.kind == StartResult::Kind::Error)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::StartFailed, res.error));
        if (res.kind == StartResult::Kind::Ignore) {
            if (r->spec.restart != Restart::Temporary)
                st.append(std::move(r->spec))->meta = meta;
            return ServerResult::replyWith(ChildResult::okPid(Pid()));
        }
        ChildIt it = st.append(std::move(r->spec));
        it->meta = meta;
        st.setRunning(it, res.pid);
        st.report(ctx, RuntimeEventType::ChildStarted, it->pid, it->spec.id);
        return ServerResult::replyWith(ChildResult::okPid(res.pid));
    }
    if (auto* r = request.tryAs<RestartChildRequest>()) {
        auto found = st.byId.find(r->id);
        if (found == st.byId.end())
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::NotFound));
        ChildIt it = found->second;
        if (it->state == ChildState::Restarting)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::Restarting));
        if (it->state == ChildState::Running)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::Running));
        StartResult res = st.startOne(ctx, it);
        if (res.kind == StartResult::Kind::Error)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::StartFailed, res.error));
        if (res.kind == StartResult::Kind::Ignore)
            return ServerResult::replyWith(ChildResult::okPid(Pid()));
        st.setRunning(it, res.pid);
        st.report(ctx, RuntimeEventType::ChildStarted, it->pid, it->spec.id);
        return ServerResult::replyWith(ChildResult::okPid(res.pid));
    }
    if (auto* r = request.tryAs<TerminateChildRequest>()) {
        auto found = st.byId.find(r->id);
        if (found == st.byId.end())
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::NotFound));
        ChildIt it = found->second;
        if (it->state != ChildState::Running) {
            st.delChild(it);
            return ServerResult::replyWith(ChildResult{});
        }
        std::vector<ShutdownTarget> targets{{it->pid, it->spec.effectiveShutdown(), it->spec.restart, it->spec.id}};
        State* s = &st;
        From f = from;
        ShutdownSequence::run(
            ctx, std::move(targets),
            [s, it](Context& c, std::size_t, const ExitReason& reason, bool clean) {
                if (!clean)
                    s->report(c, RuntimeEventType::ShutdownError, it->pid, it->spec.id, &reason);
                s->delChild(it);
            },
            [f](Context& c) { c.reply(f, Message::of(ChildResult{})); });
        return ServerResult::noreply();
    }
    if (auto* r = request.tryAs<DeleteChildRequest>()) {
        auto found = st.byId.find(r->id);
        if (found == st.byId.end())
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::NotFound));
        ChildIt it = found->second;
        if (it->state == ChildState::Restarting)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::Restarting));
        if (it->state == ChildState::Running)
            return ServerResult::replyWith(ChildResult::fail(SupervisorError::Running));
        st.remove(it);
        return ServerResult::replyWith(ChildResult{});
    }
    if (request.is<WhichChildrenRequest>()) {
        std::vector<ChildInfo> out;
        out.reserve(st.children.size());
        for (auto it = st.children.rbegin(); it != st.children.rend(); ++it)
            out.push_back({it->spec.id, it->state == ChildState::Running ? it->pid : Pid(), it->state, it->spec.type,
                           it->spec.modules});
        return ServerResult::replyWith(std::move(out));
    }
    if (request.is<CountChildrenRequest>()) {
        ChildCounts n;
        for (const Child& c : st.children) {
            ++n.specs;
            if (c.spec.type == ChildType::Supervisor)
                ++n.supervisors;
            else
                ++n.workers;
            if (c.state == ChildState::Running && ctx.runtime().alive(c.pid))
                ++n.active;
        }
        return ServerResult::replyWith(n);
    }
    if (auto* r = request.tryAs<GetChildspecRequest>()) {
        auto found = st.byId.find(r->id);
        std::optional<ChildSpec> out;
        if (found != st.byId.end())
            out = found->second->spec;
        return ServerResult::replyWith(std::move(out));
    }
    return ServerResult::noreply(); // unexpected call: logged and ignored in OTP
}

ServerResult Supervisor::handleCast(Context& ctx, Message& request) {
    State& st = *m_state;
    if (auto* t = request.tryAs<TryAgainRestart>()) {
        auto found = st.byId.find(t->id);
        if (found != st.byId.end() && found->second->state == ChildState::Restarting && !st.stopping)
            st.restart(ctx, found->second);
        return ServerResult::noreply();
    }
    if (auto* s = request.tryAs<StopRequest>()) {
        st.shutdownSelf(ctx, s->reason);
        return ServerResult::noreply();
    }
    return ServerResult::noreply();
}

ServerResult Supervisor::handleInfo(Context& ctx, Message& msg) {
    State& st = *m_state;
    if (auto* e = msg.tryAs<ExitMessage>()) {
        if (e->from == st.parent) {
            st.shutdownSelf(ctx, e->reason);
            return ServerResult::noreply();
        }
        auto found = st.byPid.find(e->from.id());
        if (found != st.byPid.end() && !st.stopping)
            st.childExited(ctx, found->second, e->reason);
    }
    return ServerResult::noreply(); // other messages: logged and ignored in OTP
}

void Supervisor::terminate(Context& ctx, const ExitReason&) {
    // Reached only if the loop stops us without going through shutdownSelf (an exception in a
    // callback): children can no longer be waited for, so they are signalled.
    m_state->abandonChildren(ctx);
}

// --- starting ---

StartResult Supervisor::startLink(Context& ctx, SupervisorSpec spec, std::string name) {
    ServerOptions o = ChildSpec::startOptions();
    o.name = std::move(name);
    return ctx.startLink(std::make_unique<Supervisor>(std::move(spec)), std::move(o));
}

StartResult Supervisor::startLink(Context& ctx, Configure configure, std::string name) {
    ServerOptions o = ChildSpec::startOptions();
    o.name = std::move(name);
    return ctx.startLink(std::make_unique<Supervisor>(std::move(configure)), std::move(o));
}

StartResult Supervisor::start(Runtime& rt, SupervisorSpec spec, std::string name) {
    ServerOptions o;
    o.name = std::move(name);
    return rt.startServer(std::make_unique<Supervisor>(std::move(spec)), std::move(o));
}

StartResult Supervisor::start(Runtime& rt, Configure configure, std::string name) {
    ServerOptions o;
    o.name = std::move(name);
    return rt.startServer(std::make_unique<Supervisor>(std::move(configure)), std::move(o));
}

// --- blocking API ---

ChildResult supervision::callChild(Runtime& rt, const Pid& sup, Message req, std::int64_t timeoutMs) {
    CallOutcome out = rt.call(sup, std::move(req), timeoutMs);
    if (!out.ok())
        return ChildResult::fail(SupervisorError::CallFailed, out.exitReason);
    return replyAs<ChildResult>(out, ChildResult::fail(SupervisorError::CallFailed));
}

ChildResult Supervisor::startChild(Runtime& rt, const Pid& sup, ChildSpec spec, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(StartChildRequest{std::move(spec)}), timeoutMs);
}

ChildResult Supervisor::restartChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(RestartChildRequest{id}), timeoutMs);
}

ChildResult Supervisor::terminateChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(TerminateChildRequest{id, {}}), timeoutMs);
}

ChildResult Supervisor::deleteChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs) {
    return callChild(rt, sup, Message::of(DeleteChildRequest{id}), timeoutMs);
}

std::vector<ChildInfo> Supervisor::whichChildren(Runtime& rt, const Pid& sup, std::int64_t timeoutMs) {
    CallOutcome out = rt.call(sup, Message::of(WhichChildrenRequest{}), timeoutMs);
    return replyAs<std::vector<ChildInfo>>(out, {});
}

ChildCounts Supervisor::countChildren(Runtime& rt, const Pid& sup, std::int64_t timeoutMs) {
    CallOutcome out = rt.call(sup, Message::of(CountChildrenRequest{}), timeoutMs);
    return replyAs<ChildCounts>(out, {});
}

std::optional<ChildSpec> Supervisor::getChildspec(Runtime& rt, const Pid& sup, const std::string& id,
                                                  std::int64_t timeoutMs) {
    CallOutcome out = rt.call(sup, Message::of(GetChildspecRequest{id}), timeoutMs);
    return replyAs<std::optional<ChildSpec>>(out, std::nullopt);
}

bool Supervisor::stop(Runtime& rt, const Pid& sup, ExitReason reason, std::int64_t timeoutMs) {
    if (!rt.alive(sup))
        return true;
    rt.cast(sup, Message::of(StopRequest{std::move(reason)}));
    return rt.awaitExit(sup, timeoutMs);
}

// --- process-side API ---

void Supervisor::startChild(Context& ctx, const Pid& sup, ChildSpec spec, Then<ChildResult> then, std::int64_t timeoutMs) {
    callThen<ChildResult>(ctx, sup, Message::of(StartChildRequest{std::move(spec)}), timeoutMs, std::move(then));
}

void Supervisor::restartChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then, std::int64_t timeoutMs) {
    callThen<ChildResult>(ctx, sup, Message::of(RestartChildRequest{std::move(id)}), timeoutMs, std::move(then));
}

void Supervisor::terminateChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then,
                                std::int64_t timeoutMs) {
    callThen<ChildResult>(ctx, sup, Message::of(TerminateChildRequest{std::move(id), {}}), timeoutMs, std::move(then));
}

void Supervisor::deleteChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then, std::int64_t timeoutMs) {
    callThen<ChildResult>(ctx, sup, Message::of(DeleteChildRequest{std::move(id)}), timeoutMs, std::move(then));
}

void Supervisor::whichChildren(Context& ctx, const Pid& sup, Then<std::vector<ChildInfo>> then, std::int64_t timeoutMs) {
    callThen<std::vector<ChildInfo>>(ctx, sup, Message::of(WhichChildrenRequest{}), timeoutMs, std::move(then));
}

void Supervisor::countChildren(Context& ctx, const Pid& sup, Then<ChildCounts> then, std::int64_t timeoutMs) {
    callThen<ChildCounts>(ctx, sup, Message::of(CountChildrenRequest{}), timeoutMs, std::move(then));
}

void Supervisor::getChildspec(Context& ctx, const Pid& sup, std::string id, Then<std::optional<ChildSpec>> then,
                              std::int64_t timeoutMs) {
    callThen<std::optional<ChildSpec>>(ctx, sup, Message::of(GetChildspecRequest{std::move(id)}), timeoutMs,
                                       std::move(then));
}

void Supervisor::stop(Context& ctx, const Pid& sup, ExitReason reason) {
    ctx.cast(sup, Message::of(StopRequest{std::move(reason)}));
}

} // namespace canopy
