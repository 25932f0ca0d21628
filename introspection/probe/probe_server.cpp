#include "introspection/probe/probe_server.h"
#include "introspection/codec.h"
#include "introspection/probe/counter_diff.h"
#include "introspection/probe/dump_directory.h"
#include "introspection/probe/keyframe_builder.h"
#include "introspection/probe/keyframe_encoder.h"
#include "introspection/probe/metrics_server.h"
#include "introspection/probe/probe_token.h"
#include "introspection/probe/viewer_connection.h"
#include "introspection/protocol.h"
#include "runtime/runtime.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace canopy::introspection {

namespace {

DeltaType toDeltaType(RuntimeEventType t) {
    switch (t) {
    case RuntimeEventType::Spawn: return DeltaType::Spawn;
    case RuntimeEventType::Exit: return DeltaType::Exit;
    case RuntimeEventType::Link: return DeltaType::Link;
    case RuntimeEventType::Unlink: return DeltaType::Unlink;
    case RuntimeEventType::Monitor: return DeltaType::Monitor;
    case RuntimeEventType::Demonitor: return DeltaType::Demonitor;
    case RuntimeEventType::NameRegistered: return DeltaType::NameRegistered;
    case RuntimeEventType::NameUnregistered: return DeltaType::NameUnregistered;
    case RuntimeEventType::ChildStarted: return DeltaType::ChildStarted;
    case RuntimeEventType::ChildTerminated: return DeltaType::ChildTerminated;
    case RuntimeEventType::ChildRestarted: return DeltaType::ChildRestarted;
    case RuntimeEventType::StartError: return DeltaType::StartError;
    case RuntimeEventType::SupervisorGaveUp: return DeltaType::SupervisorGaveUp;
    case RuntimeEventType::ShutdownError: return DeltaType::ShutdownError;
    }
    return DeltaType::Spawn;
}

std::string isoUtcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

constexpr auto kDumpDelay = std::chrono::milliseconds(200);
/// Supervisor commands (terminate/restart child) running at once.
constexpr int kMaxCommandsInFlight = 4;
/// Share of one core the sampler's table walks may use.
constexpr double kSamplerDutyCycle = 0.02;

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

ProbeServer::ProbeServer(Runtime& rt, ProbeOptions opts)
    : m_rt(rt), m_opts(std::move(opts)), m_work(asio::make_work_guard(m_io)),
      m_sampleTimer(m_io), m_housekeepingTimer(m_io), m_dumpTimer(m_io),
      m_events(m_opts.eventQueueLimit, [this] { asio::post(m_io, [this] { drainEvents(); }); }),
      m_recorder(m_opts.flightRecorderEvents, m_opts.flightRecorderSeconds) {
    m_transport = std::make_unique<ProbeTransport>(m_io, m_opts, *this);
    if (m_opts.metricsPort) {
        m_metricsServer = std::make_unique<MetricsServer>(m_io, m_opts.bindAddress, *m_opts.metricsPort,
                                                          [this] { return metricsText(); });
        m_metricsPort = m_metricsServer->port();
    }
    m_startNs = m_rt.clock().nowNs();
    if (m_recorder.enabled()) {
        m_dumpsRemoved += DumpDirectory::prune(dumpDirectory(), m_opts.flightRecorderMaxDumps,
                                               m_opts.flightRecorderMaxDumpBytes).size();
        if (m_opts.flightRecorderOnCrash) {
            m_fatalDump = std::make_unique<FatalDump>(m_recorder, dumpDirectory(), describe());
            if (!m_fatalDump->ok()) {
                std::cerr << "canopy probe: flight recorder: no dump on a crash: " << m_fatalDump->error() << "\n";
                m_fatalDump.reset();
            } else if (!m_fatalDump->arm()) {
                std::cerr << "canopy probe: flight recorder: no dump on a crash: too many probes in this process\n";
                m_fatalDump.reset();
            }
        }
    }
    if (m_metricsServer)
        std::cerr << "canopy probe metrics on http://" << m_opts.bindAddress << ":" << m_metricsPort << "/metrics\n";

    m_rt.setEventSink(&m_events);
    asio::post(m_io, [this] {
        // The flight recorder's first base, and the root supervisors already running.
        m_slotTracker.seed(m_rt);
        if (m_recorder.enabled()) rebaseRecorder();
        m_rt.forEachProcessView([this](const ProcessView& v) {
            if (v.parent == 0 && v.meta && v.meta->kind != ProcessKind::Worker) m_rootSupervisors.insert(v.pid);
        });
        m_metrics.seed(m_rt);
    });
    m_transport->start();
    scheduleHousekeeping();
    m_thread = std::thread([this] {
        // A handler that throws must not take the observed program down: log and keep serving.
        for (;;) {
            try {
                m_io.run();
                return;
            } catch (const std::exception& e) {
                std::cerr << "canopy probe: internal error (continuing): " << e.what() << "\n";
            } catch (...) {
                std::cerr << "canopy probe: internal error (continuing)\n";
            }
        }
    });
}

ProbeServer::~ProbeServer() {
    m_rt.setEventSink(nullptr);
    m_events.quiesce();
    {
        // Supervisor calls in flight end within their own timeouts.
        std::unique_lock lock(m_commandMutex);
        m_commandsDone.wait(lock, [this] { return m_commandsRunning == 0; });
    }
    asio::post(m_io, [this] {
        // Events still queued (often the very crash that ends the program) are taken in, and a dump
        // they made due is written now rather than lost with the probe.
        drainEvents(false);
        if (!m_pendingDumpReason.empty()) {
            m_dumpTimer.cancel();
            dumpNow(std::exchange(m_pendingDumpReason, std::string()));
        }
        m_stopping = true;
        m_transport->close();
        if (m_metricsServer) m_metricsServer->close();
        m_sampleTimer.cancel();
        m_housekeepingTimer.cancel();
        m_dumpTimer.cancel();
        m_work.reset();
        m_io.stop();
    });
    if (m_thread.joinable()) m_thread.join();
}

std::int64_t ProbeServer::nowNs() const {
    return m_rt.clock().nowNs();
}

std::string ProbeServer::describe() const {
    std::string name;
    std::ifstream comm("/proc/self/comm");
    std::getline(comm, name);
    return (name.empty() ? std::string("process") : name) + " (pid " + std::to_string(::getpid()) + ")";
}

void ProbeServer::appendKeyframeFrame(std::vector<std::uint8_t>& out, std::uint64_t seq, Encoding encoding) {
    KeyframeEncoder::appendLiveFrame(out, m_rt, seq, encoding, &m_slotTracker);
}

Keyframe ProbeServer::buildKeyframe(std::uint64_t root) {
    drainEvents(false);
    return walkKeyframe(root);
}

Keyframe ProbeServer::walkKeyframe(std::uint64_t root) {
    Keyframe kf = KeyframeBuilder::build(m_rt, root);
    std::unordered_set<std::uint64_t> supervisors;
    for (auto& r : kf.processes) {
        r.startOrder = m_slotTracker.orderOf(r.pid, r.parent, r.childId);
        if (root != 0 && r.kind == "supervisor") supervisors.insert(r.pid);
    }
    kf.ghosts = m_slotTracker.ghosts(root != 0 ? &supervisors : nullptr);
    return kf;
}

void ProbeServer::drainEvents(bool flushViewers) {
    if (m_draining || m_stopping) return;
    m_draining = true;
    m_events.drain([this](ProbeEvent& ev) { handleEvent(ev); });
    if (m_events.takeOverflow()) {
        // The runtime produced events faster than this thread could take them: some are gone, so
        // every viewer and the recorder restart from a keyframe.
        ++m_queueOverflows;
        m_transport->requestResync();
        if (m_recorder.enabled()) rebaseRecorder();
    }
    if (m_recorder.needsRebase(nowNs())) rebaseRecorder();
    m_draining = false;
    if (flushViewers) m_transport->flush();
}

void ProbeServer::handleEvent(ProbeEvent& ev) {
    ++m_eventsSeen;
    Delta d;
    d.timeNs = ev.timeNs;
    d.type = toDeltaType(ev.type);
    d.pid = ev.pid;
    d.peer = ev.peer;
    d.text = std::move(ev.text);
    if (ev.reason) d.reason = ev.reason->toString();
    d.strategy = std::move(ev.strategy);
    d.restartsInWindow = ev.restartsInWindow;
    d.maxRestarts = ev.maxRestarts;
    d.maxSeconds = ev.maxSeconds;
    KeyframeEncoder::sanitizeUtf8(d.text);
    KeyframeEncoder::sanitizeUtf8(d.reason);
    const bool wantRecord = !m_transport->viewers().empty() || m_recorder.enabled();
    // Child starts always carry the record: the slot tracker keeps static supervisors' slots from it.
    const bool childStart = d.type == DeltaType::ChildStarted || d.type == DeltaType::ChildRestarted;
    if ((wantRecord && d.type == DeltaType::Spawn) || childStart) {
        if (Pid p = m_rt.findPid(d.pid))
            m_rt.viewProcess(p, [&](const ProcessView& view) { d.process = KeyframeBuilder::toRecord(view); });
    }
    switch (d.type) {
    case DeltaType::Spawn:
        if (d.peer == 0 && d.process && d.process->kind != "worker") m_rootSupervisors.insert(d.pid);
        break;
    default:
        break;
    }
    if (childStart && d.peer && !m_slotTracker.knowsSupervisor(d.peer)) {
        if (Pid sup = m_rt.findPid(d.peer))
            m_rt.viewProcess(sup, [&](const ProcessView& view) {
                if (view.meta) m_slotTracker.noteSupervisor(d.peer, view.meta->kind == ProcessKind::Supervisor);
            });
    }
    m_slotTracker.onDelta(d);
    m_metrics.observe(d);
    m_recorder.record(d);
    if (m_recorder.needsRebase(d.timeNs)) rebaseRecorder(); // full: N events per generation, even within one drain
    m_transport->deliver(d);
    if (d.type == DeltaType::SupervisorGaveUp)
        scheduleDump("supervisor " + Pid::format(d.pid) + " gave up (reached max restart intensity)");
    else if (d.type == DeltaType::Exit && m_rootSupervisors.erase(d.pid) && !(ev.reason && ev.reason->isCleanExit()))
        scheduleDump("root supervisor " + Pid::format(d.pid) + " exited: " + d.reason); // not a clean shutdown
}

void ProbeServer::scheduleDump(const std::string& reason) {
    if (!m_recorder.enabled()) return;
    if (!m_pendingDumpReason.empty()) return; // one dump captures both triggers of one crash
    m_pendingDumpReason = reason;
    m_dumpTimer.expires_after(kDumpDelay);
    m_dumpTimer.async_wait([this](const std::error_code& ec) {
        if (ec) return;
        const std::string why = std::exchange(m_pendingDumpReason, std::string());
        dumpNow(why);
    });
}

std::string ProbeServer::dumpDirectory() const {
    return m_opts.flightRecorderDir.empty() ? std::string(".") : m_opts.flightRecorderDir;
}

void ProbeServer::rebaseRecorder() {
    // Straight from the table walk, with what viewers' keyframes carry (start orders, ghost slots).
    std::vector<std::uint8_t> frame;
    const std::int64_t t = nowNs();
    KeyframeEncoder::appendLiveFrame(frame, m_rt, m_recorder.seq(), Encoding::Cbor, &m_slotTracker);
    m_recorder.rebase(frame, t);
    if (m_fatalDump) m_fatalDump->refreshHeaders(m_recorder.startNs());
}

std::string ProbeServer::dumpNow(const std::string& reason) {
    if (!m_recorder.enabled()) return {};
    drainEvents(true);
    static std::atomic<unsigned> counter{0};
    const std::string dir = dumpDirectory();
    std::string path;
    do {
        path = dir + "/canopy-flight-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".canopy";
    } while (::access(path.c_str(), F_OK) == 0); // an earlier run with the same pid (containers) keeps its dumps
    SessionHeader header;
    header.startNs = m_recorder.startNs() ? m_recorder.startNs() : m_startNs;
    header.created = isoUtcNow();
    header.source = "flight recorder of " + describe() + ": " + reason;
    Keyframe last = walkKeyframe();
    const Status st = m_recorder.write(path, header, std::move(last));
    if (!st) {
        std::cerr << "canopy probe: flight recorder: " << st.error() << "\n";
        return {};
    }
    ++m_dumpsWritten;
    std::cerr << "canopy probe: flight recorder wrote " << path << " (" << reason << ")\n";
    const auto removed =
        DumpDirectory::prune(dir, m_opts.flightRecorderMaxDumps, m_opts.flightRecorderMaxDumpBytes, path);
    m_dumpsRemoved += removed.size();
    std::lock_guard lock(m_dumpsMutex);
    for (const auto& r : removed) m_dumps.erase(std::remove(m_dumps.begin(), m_dumps.end(), r), m_dumps.end());
    m_dumps.push_back(path);
    return path;
}

std::string ProbeServer::dumpFlightRecorder(const std::string& reason) {
    if (std::this_thread::get_id() == m_thread.get_id()) return dumpNow(reason);
    auto task = std::make_shared<std::packaged_task<std::string()>>([this, reason] { return dumpNow(reason); });
    auto result = task->get_future();
    asio::post(m_io, [task] { (*task)(); });
    if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return {};
    return result.get();
}

std::vector<std::string> ProbeServer::dumps() const {
    std::lock_guard lock(m_dumpsMutex);
    return m_dumps;
}

void ProbeServer::samplingChanged(double hz) {
    // A faster rate (a viewer's subscription raising its connect-time default of 1 Hz) re-arms the
    // timer now: waiting out the slower period would leave a short-lived viewer without samples.
    const bool faster = hz > m_samplerHz;
    m_samplerHz = hz;
    if (hz > 0 && (!m_samplerRunning || faster)) {
        m_samplerRunning = true;
        ++m_samplerGeneration; // the slower chain's pending wait is cancelled and ends there
        scheduleSample();
    }
}

void ProbeServer::scheduleSample() {
    if (m_samplerHz <= 0 || m_stopping) {
        m_samplerRunning = false;
        return;
    }
    const std::uint64_t generation = m_samplerGeneration;
    m_sampleTimer.expires_after(std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / m_samplerHz)));
    m_sampleTimer.async_wait([this, generation](const std::error_code& ec) {
        if (generation != m_samplerGeneration) return; // superseded by a re-armed chain
        if (ec) {
            m_samplerRunning = false;
            return;
        }
        sampleTick();
        scheduleSample();
    });
}

void ProbeServer::sampleTick() {
    drainEvents(false);
    std::vector<std::uint64_t> pids;
    std::vector<std::int64_t> mailboxes;
    std::vector<std::uint64_t> handled;
    const auto now = nowNs();
    // A walk reads each process's counters (relaxed loads, no lock, no message) and costs CPU in
    // proportion to the table, so walks are rationed: at most kSamplerDutyCycle of one core. Between
    // walks a sample carries a fresh process count and the last walk's totals.
    if (now >= m_nextWalkNs) {
        const double c0 = threadCpuMs();
        std::int64_t totalMailbox = 0;
        std::uint64_t totalHandled = 0;
        std::uint64_t count = 0;
        CounterDiff::Change change;
        m_counterDiff.begin();
        m_rt.forEachProcessCounters([&](const ProcessCounters& c) {
            ++count;
            totalMailbox += c.mailboxLength;
            totalHandled += c.messagesHandled;
            if (m_counterDiff.visit(c.pid, c.mailboxLength, c.messagesHandled, change)) {
                pids.push_back(c.pid);
                mailboxes.push_back(change.mailbox);
                handled.push_back(change.handled);
            }
        });
        m_counterDiff.end();
        m_lastWalkCpuMs = threadCpuMs() - c0;
        ++m_walks;
        m_lastWalkNs = now;
        m_walkTotalMailbox = totalMailbox;
        m_walkTotalHandled = totalHandled;
        m_walkCount = count;
        m_nextWalkNs = now + static_cast<std::int64_t>(m_lastWalkCpuMs * 1e6 / kSamplerDutyCycle);
    }
    const std::uint64_t count = m_rt.processCount();
    auto viewers = m_transport->viewers();
    for (auto& [id, v] : viewers) {
        v->sampleTick(now, m_lastWalkNs, count, m_walkTotalMailbox, m_walkTotalHandled, pids, mailboxes, handled);
        v->flush();
    }
}

void ProbeServer::scheduleHousekeeping() {
    m_housekeepingTimer.expires_after(std::chrono::seconds(1));
    m_housekeepingTimer.async_wait([this](const std::error_code& ec) {
        if (ec || m_stopping) return;
        drainEvents(true);
        scheduleHousekeeping();
    });
}

void ProbeServer::runCommand(const Command& cmd, std::function<void(CommandResult)> done) {
    CommandResult r;
    r.id = cmd.id;
    if (cmd.action == "kill") {
        Pid p = m_rt.findPid(cmd.pid);
        if (!p) {
            r.message = "no such process " + Pid::format(cmd.pid);
        } else {
            m_rt.exit(p, cmd.reason.empty() ? ExitReason::kill() : ExitReason::parse(cmd.reason));
            r.ok = true;
        }
        done(std::move(r));
        return;
    }
    if (cmd.action != "terminate_child" && cmd.action != "restart_child") {
        r.message = "unknown action '" + cmd.action + "' (kill, terminate_child, restart_child)";
        done(std::move(r));
        return;
    }
    Pid sup = m_rt.findPid(cmd.supervisor);
    auto info = sup ? m_rt.info(sup) : std::nullopt;
    if (!info || !info->hasMeta || info->kind == ProcessKind::Worker) {
        r.message = "no such supervisor " + Pid::format(cmd.supervisor);
        done(std::move(r));
        return;
    }
    const bool dynamic = info->kind == ProcessKind::DynamicSupervisor;
    if (dynamic && cmd.action == "restart_child") {
        r.message = "a dynamic supervisor has no restart_child";
        done(std::move(r));
        return;
    }
    // The supervisor call blocks up to its timeout: run it off the Asio thread.
    {
        std::lock_guard lock(m_commandMutex);
        if (m_commandsRunning >= kMaxCommandsInFlight) {
            r.message = "busy: " + std::to_string(kMaxCommandsInFlight) + " supervisor commands already running";
            done(std::move(r));
            return;
        }
        ++m_commandsRunning;
    }
    std::thread([this, cmd, sup, dynamic, done = std::move(done)] {
        CommandResult res;
        res.id = cmd.id;
        ChildResult cr;
        if (dynamic) cr = DynamicSupervisor::terminateChild(m_rt, sup, m_rt.findPid(cmd.pid));
        else if (cmd.action == "terminate_child") cr = Supervisor::terminateChild(m_rt, sup, cmd.childId);
        else cr = Supervisor::restartChild(m_rt, sup, cmd.childId);
        res.ok = cr.ok();
        if (!res.ok) res.message = cr.toString();
        asio::post(m_io, [done, res] { done(res); });
        std::lock_guard lock(m_commandMutex);
        if (--m_commandsRunning == 0) m_commandsDone.notify_all();
    }).detach();
}

std::string ProbeServer::metricsText() {
    drainEvents(true);
    ProbeStats st;
    st.eventsSeen = m_eventsSeen;
    st.eventsDropped = m_events.dropped();
    st.viewerResyncs = m_transport->departedResyncs();
    st.viewerDropped = m_transport->departedDropped();
    for (auto& [id, v] : m_transport->viewers()) {
        ++(v->streaming() ? st.viewers : st.handshakes);
        st.viewerResyncs += v->resyncs();
        st.viewerDropped += v->queue().dropped();
    }
    st.lastWalkCpuSeconds = m_lastWalkCpuMs / 1e3;
    st.connectionsRefused = m_transport->connectionsRefused();
    st.acceptErrors = m_transport->acceptErrors();
    st.flightDumps = m_dumpsWritten;
    st.flightDumpsRemoved = m_dumpsRemoved;
    return m_metrics.render(m_rt, st);
}

} // namespace canopy::introspection
