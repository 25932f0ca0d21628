#include "app/canopy-beam/beam_source.h"
#include "app/canopy-beam/beam_error.h"
#include "app/canopy-beam/beam_term_reader.h"
#include "introspection/probe/keyframe_encoder.h"
#include "introspection/probe/viewer_connection.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ei.h>
#include <iostream>
#include <unistd.h>

namespace canopy::beam {

using namespace introspection;

namespace {

constexpr const char* kAgent = "canopy_beam_agent";
/// How long the connection thread waits for a message before it looks at its requests again.
constexpr unsigned kPollMs = 5;

/// An encoded argument list for an rpc (without version byte), built with erl_interface.
class Args {
public:
    Args() { ei_x_new(&m_x); } // no version byte: ei_rpc_to appends the list inside its request
    ~Args() { ei_x_free(&m_x); }
    Args(const Args&) = delete;
    Args& operator=(const Args&) = delete;
    ei_x_buff* x() { return &m_x; }
    std::vector<char> bytes() const { return {m_x.buff, m_x.buff + m_x.index}; }

private:
    ei_x_buff m_x;
};

std::int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string pidText(std::uint64_t pid) {
    return "<0." + std::to_string(pid & 0xffffffffu) + "." + std::to_string(pid >> 32) + ">";
}

bool isSupervisor(const ProcessRecord& r) {
    return r.kind != "worker";
}

} // namespace

BeamSource::BeamSource(BeamOptions opts, ProbeOptions probeOpts, std::vector<char> agentBeam)
    : m_opts(std::move(opts)), m_probeOpts(std::move(probeOpts)), m_work(asio::make_work_guard(m_io)),
      m_sampleTimer(m_io) {
    m_startNs = steadyNs();
    m_debug = std::getenv("CANOPY_BEAM_DEBUG") != nullptr;
    m_conn = std::make_unique<BeamConnection>(m_opts.node, m_opts.cookie, m_opts.timeoutMs);
    removeAgentModule(); // an earlier bridge's, if it was killed moments ago
    {
        // code:load_binary(canopy_beam_agent, "canopy_beam_agent.erl", Beam)
        Args a;
        ei_x_encode_list_header(a.x(), 3);
        ei_x_encode_atom(a.x(), kAgent);
        ei_x_encode_string(a.x(), "canopy_beam_agent.erl");
        ei_x_encode_binary(a.x(), agentBeam.data(), long(agentBeam.size()));
        ei_x_encode_empty_list(a.x());
        const auto reply = m_conn->rpc("code", "load_binary", a.bytes(), m_opts.timeoutMs);
        BeamTermReader t(reply.data(), int(reply.size()));
        if (t.type() != ERL_SMALL_TUPLE_EXT || t.tuple() != 2 || !t.isAtom("module"))
            throw BeamError("node " + m_opts.node + " refused canopy-beam's agent module (code:load_binary failed)", 2);
    }
    const auto t0 = steadyNs();
    std::vector<ProcessRecord> records = walkNode("snapshot");
    m_attachWalkMs = double(steadyNs() - t0) / 1e6;
    if (records.empty() && !m_opts.applications.empty())
        throw BeamError("node " + m_opts.node + " runs no application named " + m_opts.applications.front() +
                            " (see canopyctl tree beam:" + m_opts.node + ")",
                        2);
    m_attachCount = records.size();
    {
        // The agent watches the supervision trees: a monitor per process, supervisors' spawns traced.
        std::vector<const ProcessRecord*> watched;
        for (const auto& r : records)
            if (r.parent != 0 || !r.childId.empty() || r.kind != "worker") watched.push_back(&r);
        Args a;
        ei_x_encode_list_header(a.x(), 1);
        ei_x_encode_tuple_header(a.x(), 2);
        m_conn->encodeSelf(a.x());
        if (!watched.empty()) ei_x_encode_list_header(a.x(), long(watched.size()));
        for (const auto* r : watched) {
            ei_x_encode_tuple_header(a.x(), 2);
            const auto bytes = encodePid(r->pid);
            ei_x_append_buf(a.x(), bytes.data(), int(bytes.size()));
            ei_x_encode_boolean(a.x(), r->kind != "worker");
        }
        ei_x_encode_empty_list(a.x());
        ei_x_encode_empty_list(a.x());
        const auto reply = m_conn->rpc(kAgent, "start", a.bytes(), m_opts.timeoutMs);
        BeamTermReader t(reply.data(), int(reply.size()));
        if (t.type() != ERL_SMALL_TUPLE_EXT || t.tuple() != 2 || !t.isAtom("ok"))
            throw BeamError("canopy-beam's agent did not start on node " + m_opts.node, 2);
    }
    applySnapshot(std::move(records));
    m_transport = std::make_unique<ProbeTransport>(m_io, m_probeOpts, *this);
    m_thread = std::thread([this] { connectionLoop(); });
}

BeamSource::~BeamSource() {
    detach();
    if (m_transport) m_transport->close();
}

void BeamSource::detach() {
    m_stopping = true;
    if (m_thread.joinable()) m_thread.join();
}

std::string BeamSource::describe() const {
    return "BEAM node " + m_opts.node + " (canopy-beam pid " + std::to_string(::getpid()) + ")";
}

std::int64_t BeamSource::nowNs() const {
    return steadyNs();
}

std::vector<char> BeamSource::encodePid(std::uint64_t pid) const {
    erlang_pid p{};
    std::strncpy(p.node, m_pidNode.c_str(), sizeof p.node - 1);
    p.num = unsigned(pid & 0xffffffffu);
    p.serial = unsigned(pid >> 32);
    p.creation = m_creation;
    ei_x_buff x;
    ei_x_new(&x);
    ei_x_encode_pid(&x, &p);
    std::vector<char> out(x.buff, x.buff + x.index);
    ei_x_free(&x);
    return out;
}

std::vector<ProcessRecord> BeamSource::decodeRecords(const BeamMessage& reply) {
    BeamTermReader t(reply.data(), int(reply.size()));
    std::vector<ProcessRecord> out;
    if (t.type() == ERL_NIL_EXT) return out;
    const int n = t.list();
    out.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        if (t.tuple() != 19) throw BeamError("unexpected record from canopy-beam's agent", 4);
        ProcessRecord r;
        r.pid = t.pid(&r.pidText, m_pidNode.empty() ? &m_pidNode : nullptr, &m_creation);
        if (t.type() == ERL_ATOM_EXT || t.type() == ERL_SMALL_ATOM_UTF8_EXT || t.type() == ERL_ATOM_UTF8_EXT ||
            t.type() == ERL_SMALL_ATOM_EXT)
            t.skip();
        else
            r.parent = t.pid();
        r.name = t.binary();
        r.childId = t.binary();
        r.kind = t.binary();
        r.strategy = t.binary();
        r.restart = t.binary();
        r.shutdown = t.binary();
        r.status = t.binary();
        r.initialCall = t.binary();
        r.mailboxLength = t.integer();
        r.messagesHandled = 0; // BEAM counts reductions, not messages handled
        t.integer();
        r.memoryBytes = std::uint64_t(t.integer());
        r.restartsInWindow = int(t.integer());
        r.maxRestarts = int(t.integer());
        r.maxSeconds = int(t.integer());
        for (int k = t.list(); k > 0; --k) r.links.push_back(t.pid());
        if (!r.links.empty()) t.nil();
        for (int k = t.list(); k > 0; --k) r.monitors.push_back(t.pid());
        if (!r.monitors.empty()) t.nil();
        r.startOrder = std::uint64_t(t.integer());
        if (r.status == "runnable" || r.status == "running" || r.status == "waiting" || r.status == "exiting") {
        } else if (r.status != "unresponsive") {
            r.status = "waiting"; // garbage_collecting, suspended: as the wire knows them
        }
        out.push_back(std::move(r));
    }
    if (n > 0) t.nil();
    return out;
}

// ---- The connection thread --------------------------------------------------------------------

void BeamSource::push(Request r) {
    std::lock_guard lock(m_requestMutex);
    m_requests.push_back(std::move(r));
}

void BeamSource::connectionLoop() {
    try {
        while (!m_stopping) {
            std::vector<Request> requests;
            {
                std::lock_guard lock(m_requestMutex);
                requests.swap(m_requests);
            }
            for (auto& r : requests) runRequest(r);
            BeamMessage m;
            // Up to a bounded batch of agent messages per turn, then the requests again.
            // (erl_interface reads a timeout of 0 as "wait forever": 1 ms is the shortest wait.)
            for (int n = 0; n < 1000 && m_conn->receive(m, n == 0 ? kPollMs : 1); ++n) handleMessage(m);
        }
        // Detach: the agent removes its trace flags and its logger handler and exits; then the
        // module goes (delete makes it old code, which no process runs any more: purge).
        Args none;
        ei_x_encode_empty_list(none.x());
        m_conn->rpc(kAgent, "stop", none.bytes(), m_opts.timeoutMs);
        removeAgentModule();
    } catch (const BeamError& e) {
        if (m_stopping) return;
        const std::string why = e.what();
        asio::post(m_io, [this, why] { nodeGone(why, 3); });
    } catch (const std::exception& e) {
        // A bug or exhaustion here: say so and stop (the agent cleans up when this C node goes away).
        const std::string why = std::string("internal error: ") + e.what();
        asio::post(m_io, [this, why] { nodeGone(why, 4); });
    }
}

void BeamSource::runRequest(Request& r) {
    switch (r.kind) {
    case Request::Kind::Rescan: {
        {
            std::lock_guard lock(m_requestMutex);
            m_rescansQueued.erase(r.pid);
        }
        Args a;
        ei_x_encode_list_header(a.x(), 2);
        const auto pid = encodePid(r.pid);
        ei_x_append_buf(a.x(), pid.data(), int(pid.size()));
        ei_x_encode_long(a.x(), long(m_opts.supervisorTimeoutMs));
        ei_x_encode_empty_list(a.x());
        auto records = decodeRecords(m_conn->rpc(kAgent, "subtree", a.bytes(), m_opts.timeoutMs));
        asio::post(m_io, [this, sup = r.pid, records = std::move(records)]() mutable {
            applyRescan(sup, std::move(records));
        });
        break;
    }
    case Request::Kind::Sample: {
        {
            std::lock_guard lock(m_requestMutex);
            m_sampleQueued = false;
        }
        Args a;
        ei_x_encode_empty_list(a.x());
        const auto reply = m_conn->rpc(kAgent, "counters", a.bytes(), m_opts.timeoutMs);
        BeamTermReader t(reply.data(), int(reply.size()));
        t.tuple();
        const auto count = std::uint64_t(t.integer());
        std::vector<std::pair<std::uint64_t, std::int64_t>> boxes;
        if (t.type() != ERL_NIL_EXT) {
            const int n = t.list();
            for (int i = 0; i < n; ++i) {
                t.tuple();
                const auto pid = t.pid();
                boxes.emplace_back(pid, t.integer());
            }
        }
        asio::post(m_io, [this, count, boxes = std::move(boxes)]() mutable { onSample(count, std::move(boxes)); });
        break;
    }
    case Request::Kind::Resnapshot: {
        auto records = walkNode("resnapshot");
        asio::post(m_io, [this, records = std::move(records)]() mutable { applyResnapshot(std::move(records)); });
        break;
    }
    case Request::Kind::Command: {
        const Command& c = r.command;
        Args a;
        ei_x_encode_list_header(a.x(), 4);
        const std::string action = c.action;
        if (action == "kill") { // {kill, Reason}
            ei_x_encode_tuple_header(a.x(), 2);
            ei_x_encode_atom(a.x(), "kill");
            ei_x_encode_binary(a.x(), c.reason.data(), long(c.reason.size()));
        } else {
            ei_x_encode_atom(a.x(), action.c_str());
        }
        if (c.supervisor) {
            const auto sup = encodePid(c.supervisor);
            ei_x_append_buf(a.x(), sup.data(), int(sup.size()));
        } else {
            ei_x_encode_atom(a.x(), "undefined");
        }
        ei_x_encode_binary(a.x(), c.childId.data(), long(c.childId.size()));
        if (c.pid) {
            const auto pid = encodePid(c.pid);
            ei_x_append_buf(a.x(), pid.data(), int(pid.size()));
        } else {
            ei_x_encode_atom(a.x(), "undefined");
        }
        ei_x_encode_empty_list(a.x());
        CommandResult res;
        res.id = c.id;
        const auto reply = m_conn->rpc(kAgent, "command", a.bytes(), m_opts.timeoutMs);
        BeamTermReader t(reply.data(), int(reply.size()));
        if (t.isAtom("ok")) {
            res.ok = true;
        } else if (t.type() == ERL_SMALL_TUPLE_EXT && t.tuple() == 2 && t.isAtom("error")) {
            t.skip();
            res.message = t.type() == ERL_BINARY_EXT ? t.binary() : "failed";
        } else {
            res.message = "the command failed on the node (badrpc)";
        }
        asio::post(m_io, [done = std::move(r.done), res] { done(res); });
        break;
    }
    }
}

void BeamSource::handleMessage(const BeamMessage& msg) {
    BeamTermReader t(msg.data(), int(msg.size()));
    if (t.type() != ERL_SMALL_TUPLE_EXT) return;
    // {canopy, batch, [Event], FirstEventOsTimeUs} from the agent (events in the order they happened)
    const int arity = t.tuple();
    if (arity != 4 || !t.isAtom("canopy")) return;
    t.skip();
    if (!t.isAtom("batch")) return;
    t.skip();
    if (t.type() == ERL_NIL_EXT) return;
    const int n = t.list();
    for (int i = 0; i < n; ++i) handleEvent(t);
    t.nil();
    const std::int64_t since = t.integer();
    const std::int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    m_latency.add(double(std::max<std::int64_t>(0, nowUs - since)) / 1000.0, std::uint64_t(n));
}

void BeamSource::handleEvent(BeamTermReader& t) {
    // {canopy, Tag, ...}
    const int arity = t.tuple();
    if (arity < 4 || !t.isAtom("canopy")) throw BeamError("unexpected event from canopy-beam's agent", 4);
    t.skip();
    const std::string tag = t.atom();
    if (m_debug) std::cerr << "canopy-beam: agent event " << tag << "\n";
    if (tag == "spawn" && arity == 5) {
        const auto parent = t.pid();
        const auto child = t.pid();
        const std::string mfa = t.binary();
        asio::post(m_io, [this, parent, child, mfa] { onSpawn(parent, child, mfa); });
    } else if (tag == "exit") {
        const auto pid = t.pid();
        const std::string reason = t.binary();
        asio::post(m_io, [this, pid, reason] { onExit(pid, reason); });
    } else if (tag == "register" || tag == "unregister") {
        const auto pid = t.pid();
        const std::string name = t.binary();
        const bool reg = tag == "register";
        asio::post(m_io, [this, pid, name, reg] { onName(pid, name, reg); });
    } else if (tag == "overflow") {
        t.skip();
        const std::string dropped = t.binary();
        asio::post(m_io, [this, dropped] {
            std::cerr << "canopy-beam: the agent fell behind the node's events and dropped " << dropped
                      << " spawns; walking the node again\n";
            Request r;
            r.kind = Request::Kind::Resnapshot;
            push(std::move(r));
        });
    } else if (tag == "shutdown" && (t.type() == ERL_PID_EXT || t.type() == ERL_NEW_PID_EXT)) {
        const auto sup = t.pid();
        const std::string reason = t.binary();
        asio::post(m_io, [this, sup, reason] { onGaveUp(sup, reason); });
    } else {
        for (int k = 2; k < arity; ++k) t.skip(); // child_terminated, start_error: the exits say it
    }
}

// ---- The tree (Asio thread) -------------------------------------------------------------------

void BeamSource::emit(Delta& d) {
    d.timeNs = nowNs();
    KeyframeEncoder::sanitizeUtf8(d.text);
    KeyframeEncoder::sanitizeUtf8(d.reason);
    m_transport->deliver(d);
}

std::vector<ProcessRecord> BeamSource::walkNode(const char* function) {
    Args a;
    ei_x_encode_list_header(a.x(), 2);
    ei_x_encode_long(a.x(), long(m_opts.supervisorTimeoutMs));
    if (m_opts.applications.empty()) {
        ei_x_encode_atom(a.x(), "all");
    } else {
        ei_x_encode_list_header(a.x(), long(m_opts.applications.size()));
        for (const auto& app : m_opts.applications) ei_x_encode_binary(a.x(), app.data(), long(app.size()));
        ei_x_encode_empty_list(a.x());
    }
    ei_x_encode_empty_list(a.x());
    // A walk visits every process; a huge node takes its time.
    return decodeRecords(m_conn->rpc(kAgent, function, a.bytes(), std::max(m_opts.timeoutMs, 60000u)));
}

void BeamSource::removeAgentModule() {
    for (const char* f : {"soft_purge", "delete", "soft_purge"}) {
        Args a;
        ei_x_encode_list_header(a.x(), 1);
        ei_x_encode_atom(a.x(), kAgent);
        ei_x_encode_empty_list(a.x());
        m_conn->rpc("code", f, a.bytes(), m_opts.timeoutMs);
    }
}

void BeamSource::applySnapshot(std::vector<ProcessRecord> records) {
    m_procs.clear();
    for (auto& r : records) m_procs.emplace(r.pid, std::move(r));
    for (const auto& [pid, r] : m_procs) noteChildSpec(r);
}

void BeamSource::noteChildSpec(const ProcessRecord& r) {
    if (r.restart.empty() || r.parent == 0) return;
    auto sup = m_procs.find(r.parent);
    if (sup != m_procs.end() && sup->second.kind == "dynamic_supervisor")
        m_childSpecs.try_emplace(r.parent, r.restart, r.shutdown);
}

void BeamSource::applyResnapshot(std::vector<ProcessRecord> records) {
    applySnapshot(std::move(records));
    m_exited.clear();
    m_transport->requestResync(); // every viewer gets a keyframe of the new walk
    m_transport->flush();
}

void BeamSource::scheduleRescan(std::uint64_t sup) {
    std::lock_guard lock(m_requestMutex);
    if (!m_rescansQueued.insert(sup).second) return;
    Request r;
    r.kind = Request::Kind::Rescan;
    r.pid = sup;
    m_requests.push_back(std::move(r));
}

void BeamSource::onExit(std::uint64_t pid, const std::string& reason) {
    auto it = m_procs.find(pid);
    if (m_debug) std::cerr << "canopy-beam: exit " << pidText(pid) << " " << reason << (it == m_procs.end() ? " (unknown)" : "") << "\n";
    if (it == m_procs.end()) return;
    const ProcessRecord r = it->second;
    m_procs.erase(it);
    Delta d;
    d.type = DeltaType::Exit;
    d.pid = pid;
    d.peer = r.parent;
    d.reason = reason;
    emit(d);
    auto sup = m_procs.find(r.parent);
    if (sup != m_procs.end() && isSupervisor(sup->second) && r.childId.find(" (application)") == std::string::npos) {
        Delta t;
        t.type = DeltaType::ChildTerminated;
        t.pid = pid;
        t.peer = r.parent;
        t.text = r.childId;
        t.reason = reason;
        emit(t);
        // A child its supervisor will start again: permanent, or transient that exited abnormally.
        const bool clean = reason == "normal" || reason == "shutdown" || reason.rfind("{shutdown,", 0) == 0;
        const bool dynamicSup = sup->second.kind == "dynamic_supervisor";
        if (r.restart == "permanent" || (r.restart.empty() && !dynamicSup) || (r.restart == "transient" && !clean)) {
            if (m_exited.size() > 10000) m_exited.clear();
            m_exited.emplace(r.parent, r.childId.empty() ? r.initialCall : r.childId);
            if (!dynamicSup) scheduleRescan(r.parent); // its facts changed
        }
    }
    m_transport->flush();
}

void BeamSource::onSpawn(std::uint64_t parent, std::uint64_t child, const std::string& mfa) {
    if (m_debug) std::cerr << "canopy-beam: spawn " << pidText(child) << " by " << pidText(parent) << " " << mfa << "\n";
    if (m_procs.count(child)) return;
    auto p = m_procs.find(parent);
    if (p != m_procs.end() && p->second.kind == "dynamic_supervisor") {
        // A dynamic supervisor's child has no id: no walk needed. Restart type and shutdown as its
        // siblings' (one spec for all under simple_one_for_one; the usual case under DynamicSupervisor).
        ProcessRecord r;
        r.pid = child;
        r.pidText = pidText(child);
        r.parent = parent;
        r.initialCall = mfa;
        r.startOrder = m_nextOrder++;
        if (auto spec = m_childSpecs.find(parent); spec != m_childSpecs.end()) {
            r.restart = spec->second.first;
            r.shutdown = spec->second.second;
        }
        Delta d;
        d.type = DeltaType::ChildStarted;
        d.pid = child;
        d.peer = parent;
        auto range = m_exited.equal_range(parent);
        for (auto e = range.first; e != range.second; ++e)
            if (e->second == mfa) {
                m_exited.erase(e);
                d.type = DeltaType::ChildRestarted;
                d.strategy = p->second.strategy;
                d.restartsInWindow = p->second.restartsInWindow;
                d.maxRestarts = p->second.maxRestarts;
                d.maxSeconds = p->second.maxSeconds;
                break;
            }
        d.process = r;
        m_procs.emplace(child, std::move(r));
        emit(d);
        m_transport->flush();
        return;
    }
    if (p != m_procs.end() && isSupervisor(p->second)) {
        scheduleRescan(parent); // the child's id, restart type and shutdown come from its supervisor
        return;
    }
    ProcessRecord r;
    r.pid = child;
    r.pidText = pidText(child);
    r.parent = p != m_procs.end() ? parent : 0;
    r.initialCall = mfa;
    r.startOrder = m_nextOrder++;
    Delta d;
    d.type = DeltaType::Spawn;
    d.pid = child;
    d.peer = r.parent;
    d.text = mfa;
    d.process = r;
    m_procs.emplace(child, std::move(r));
    emit(d);
    m_transport->flush();
}

void BeamSource::onName(std::uint64_t pid, const std::string& name, bool registered) {
    auto it = m_procs.find(pid);
    if (it == m_procs.end()) return;
    it->second.name = registered ? name : std::string();
    Delta d;
    d.type = registered ? DeltaType::NameRegistered : DeltaType::NameUnregistered;
    d.pid = pid;
    d.text = name;
    emit(d);
    m_transport->flush();
}

void BeamSource::onGaveUp(std::uint64_t sup, const std::string& reason) {
    auto it = m_procs.find(sup);
    Delta d;
    d.type = DeltaType::SupervisorGaveUp;
    d.pid = sup;
    d.reason = reason;
    if (it != m_procs.end()) {
        d.strategy = it->second.strategy;
        d.maxRestarts = it->second.maxRestarts;
        d.maxSeconds = it->second.maxSeconds;
        d.restartsInWindow = it->second.restartsInWindow;
    }
    emit(d);
    m_transport->flush();
}

void BeamSource::applyRescan(std::uint64_t sup, std::vector<ProcessRecord> records) {
    if (m_debug) std::cerr << "canopy-beam: rescan " << sup << ": " << records.size() << " records\n";
    auto self = m_procs.find(sup);
    if (records.empty() || self == m_procs.end()) return; // gone meanwhile: its exit says so
    const ProcessRecord& fresh = records.front();
    ProcessRecord& s = self->second;
    if (fresh.status == "unresponsive") {
        s.status = "unresponsive";
        return; // the children stay as they were; the next spawn or exit asks again
    }
    s.status = fresh.status;
    s.strategy = fresh.strategy;
    s.kind = fresh.kind;
    s.restartsInWindow = fresh.restartsInWindow;
    s.maxRestarts = fresh.maxRestarts;
    s.maxSeconds = fresh.maxSeconds;
    std::unordered_map<std::uint64_t, bool> seen;
    for (std::size_t i = 1; i < records.size(); ++i) {
        ProcessRecord& r = records[i];
        seen[r.pid] = true;
        auto known = m_procs.find(r.pid);
        if (known != m_procs.end()) {
            known->second.childId = r.childId;
            known->second.restart = r.restart;
            known->second.shutdown = r.shutdown;
            continue;
        }
        Delta d;
        d.pid = r.pid;
        d.peer = r.parent;
        d.text = r.childId;
        d.type = DeltaType::ChildStarted;
        auto parent = m_procs.find(r.parent);
        if (parent != m_procs.end() && isSupervisor(parent->second)) {
            const std::string key = r.childId.empty() ? r.initialCall : r.childId;
            auto range = m_exited.equal_range(r.parent);
            for (auto e = range.first; e != range.second; ++e)
                if (e->second == key) {
                    m_exited.erase(e);
                    d.type = DeltaType::ChildRestarted;
                    const ProcessRecord& ps = parent->second;
                    d.strategy = ps.strategy;
                    d.restartsInWindow = ps.restartsInWindow;
                    d.maxRestarts = ps.maxRestarts;
                    d.maxSeconds = ps.maxSeconds;
                    break;
                }
        } else {
            d.type = DeltaType::Spawn;
        }
        d.process = r;
        m_procs.emplace(r.pid, r);
        noteChildSpec(r);
        emit(d);
    }
    // Direct children the walk no longer shows: their exit (a monitor's DOWN, batched by the agent)
    // may still be on its way — the walk's reply can overtake it. Give it a second; a child still
    // here then left without an exit reaching us.
    std::vector<std::uint64_t> missing;
    for (const auto& [pid, r] : m_procs)
        if (r.parent == sup && !seen.count(pid)) missing.push_back(pid);
    if (!missing.empty()) {
        auto timer = std::make_shared<asio::steady_timer>(m_io, std::chrono::seconds(1));
        timer->async_wait([this, timer, sup, missing](const std::error_code& ec) {
            if (ec || m_stopping) return;
            for (auto pid : missing) {
                auto it = m_procs.find(pid);
                if (it != m_procs.end() && it->second.parent == sup) eraseTree(pid, "noproc (no exit seen)");
            }
            m_transport->flush();
        });
    }
    m_transport->flush();
}

void BeamSource::eraseTree(std::uint64_t pid, const std::string& reason) {
    std::vector<std::uint64_t> children;
    for (const auto& [p, r] : m_procs)
        if (r.parent == pid) children.push_back(p);
    for (auto c : children) eraseTree(c, reason);
    if (m_procs.erase(pid) == 0) return;
    Delta d;
    d.type = DeltaType::Exit;
    d.pid = pid;
    d.reason = reason;
    emit(d);
}

Keyframe BeamSource::buildKeyframe(std::uint64_t root) {
    Keyframe kf;
    kf.timeNs = nowNs();
    if (root == 0) {
        kf.processes.reserve(m_procs.size());
        for (const auto& [pid, r] : m_procs) kf.processes.push_back(r);
    } else {
        std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> children;
        for (const auto& [pid, r] : m_procs) children[r.parent].push_back(pid);
        std::vector<std::uint64_t> stack{root};
        while (!stack.empty()) {
            const auto p = stack.back();
            stack.pop_back();
            auto it = m_procs.find(p);
            if (it == m_procs.end()) continue;
            kf.processes.push_back(it->second);
            for (auto c : children[p]) stack.push_back(c);
        }
    }
    std::sort(kf.processes.begin(), kf.processes.end(), [](const ProcessRecord& a, const ProcessRecord& b) {
        return a.startOrder != b.startOrder ? a.startOrder < b.startOrder : a.pid < b.pid;
    });
    return kf;
}

void BeamSource::appendKeyframeFrame(std::vector<std::uint8_t>& out, std::uint64_t seq, Encoding encoding) {
    Keyframe kf = buildKeyframe(0);
    kf.seq = seq;
    KeyframeEncoder::appendFrame(out, kf, encoding);
}

void BeamSource::runCommand(const Command& cmd, std::function<void(CommandResult)> done) {
    if (cmd.action != "kill" && cmd.action != "terminate_child" && cmd.action != "restart_child") {
        CommandResult r;
        r.id = cmd.id;
        r.message = "unknown action '" + cmd.action + "' (kill, terminate_child, restart_child)";
        done(std::move(r));
        return;
    }
    Request r;
    r.kind = Request::Kind::Command;
    r.command = cmd;
    r.done = std::move(done);
    push(std::move(r));
}

void BeamSource::samplingChanged(double hz) {
    const double cap = 1000.0 / std::max(1u, m_opts.intervalMs);
    m_sampleHz = std::min(hz, cap);
    if (m_sampleHz > 0 && !m_sampling) {
        m_sampling = true;
        scheduleSample();
    }
}

void BeamSource::scheduleSample() {
    if (m_sampleHz <= 0 || m_stopping) {
        m_sampling = false;
        return;
    }
    m_sampleTimer.expires_after(std::chrono::nanoseconds(std::int64_t(1e9 / m_sampleHz)));
    m_sampleTimer.async_wait([this](const std::error_code& ec) {
        if (ec) {
            m_sampling = false;
            return;
        }
        {
            std::lock_guard lock(m_requestMutex);
            if (!m_sampleQueued) {
                m_sampleQueued = true;
                Request r;
                r.kind = Request::Kind::Sample;
                m_requests.push_back(std::move(r));
            }
        }
        scheduleSample();
    });
}

void BeamSource::onSample(std::uint64_t count, std::vector<std::pair<std::uint64_t, std::int64_t>> boxes) {
    m_processCount = count;
    std::unordered_map<std::uint64_t, std::int64_t> now;
    std::int64_t total = 0;
    std::vector<std::uint64_t> pids;
    std::vector<std::int64_t> mailboxes;
    for (const auto& [pid, q] : boxes) {
        total += q;
        if (!m_procs.count(pid)) continue;
        now[pid] = q;
        auto old = m_mailboxes.find(pid);
        if (old == m_mailboxes.end() || old->second != q) {
            pids.push_back(pid);
            mailboxes.push_back(q);
        }
    }
    for (const auto& [pid, q] : m_mailboxes)
        if (!now.count(pid) && m_procs.count(pid)) {
            pids.push_back(pid);
            mailboxes.push_back(0);
        }
    m_mailboxes = std::move(now);
    for (auto pid : pids)
        if (auto it = m_procs.find(pid); it != m_procs.end()) it->second.mailboxLength = m_mailboxes.count(pid) ? m_mailboxes[pid] : 0;
    const std::vector<std::uint64_t> handled(pids.size(), UINT64_MAX);
    const auto t = nowNs();
    auto viewers = m_transport->viewers();
    for (auto& [id, v] : viewers) {
        v->sampleTick(t, t, count, total, 0, pids, mailboxes, handled);
        v->flush();
    }
}

void BeamSource::nodeGone(const std::string& why, int exitCode) {
    std::cerr << "canopy-beam: " << why << "\n";
    m_exitCode = exitCode;
    m_stopping = true;
    m_transport->close();
    m_sampleTimer.cancel();
    m_work.reset();
    m_io.stop();
}

int BeamSource::run() {
    asio::signal_set signals(m_io, SIGINT, SIGTERM);
    signals.async_wait([this](const std::error_code& ec, int) {
        if (ec) return;
        stop();
    });
    m_transport->start();
    m_io.run();
    return m_exitCode;
}

void BeamSource::stop() {
    asio::post(m_io, [this] {
        m_stopping = true;
        m_transport->close();
        m_sampleTimer.cancel();
        m_work.reset();
        m_io.stop();
    });
}

} // namespace canopy::beam
