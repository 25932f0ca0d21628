#include "introspection/probe/probe_metrics.h"
#include "runtime/pid.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <sstream>
#include <vector>

namespace canopy::introspection {

namespace {

std::string promLabel(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\', out += c;
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

/// How a process is named in a supervisor path: registered name, else child id, else initial call.
std::string segmentName(std::string_view registered, std::string_view childId, std::string_view initialCall,
                        std::uint64_t pid) {
    if (!registered.empty()) return std::string(registered);
    if (!childId.empty()) return std::string(childId);
    if (!initialCall.empty()) return std::string(initialCall);
    return Pid::format(pid);
}

void family(std::ostringstream& o, const char* name, const char* type, const char* help) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

template <class T> void single(std::ostringstream& o, const char* name, const char* type, const char* help, T v) {
    family(o, name, type, help);
    o << name << ' ' << v << '\n';
}

} // namespace

void ProbeMetrics::learnSupervisor(std::uint64_t pid, std::uint64_t parent, const std::string& name) {
    auto p = m_paths.find(parent);
    m_paths[pid] = p == m_paths.end() ? name : p->second + "/" + name;
}

std::uint64_t& ProbeMetrics::restartsOf(const std::string& path) {
    auto it = m_restartsByPath.find(path);
    if (it != m_restartsByPath.end()) return it->second;
    if (m_restartsByPath.size() >= kMaxSupervisorSeries) return m_restartsByPath["(other)"];
    return m_restartsByPath[path];
}

void ProbeMetrics::seed(const Runtime& rt) {
    struct Sup {
        std::uint64_t pid, parent;
        std::string name;
    };
    std::vector<Sup> sups;
    rt.forEachProcessView([&](const ProcessView& v) {
        if (v.meta && v.meta->kind != ProcessKind::Worker)
            sups.push_back({v.pid, v.parent, segmentName(v.registeredName, v.meta->childId, v.initialCall, v.pid)});
    });
    // Parents before children: a supervisor's pid is smaller than its children's.
    std::sort(sups.begin(), sups.end(), [](const Sup& a, const Sup& b) { return a.pid < b.pid; });
    for (const auto& s : sups) learnSupervisor(s.pid, s.parent, s.name);
}

void ProbeMetrics::observe(const Delta& d) {
    switch (d.type) {
    case DeltaType::Spawn:
    case DeltaType::ChildStarted:
    case DeltaType::ChildRestarted:
        if (d.process && d.process->kind != "worker" && !m_paths.count(d.pid))
            learnSupervisor(d.pid, d.process->parent,
                            segmentName(d.process->name, d.process->childId, d.process->initialCall, d.pid));
        if (d.type == DeltaType::ChildRestarted) {
            ++m_restarts;
            auto p = m_paths.find(d.peer);
            ++restartsOf(p == m_paths.end() ? Pid::format(d.peer) : p->second);
        }
        break;
    case DeltaType::NameRegistered:
        // A supervisor registered after its spawn (the usual order): name it by its name.
        if (auto it = m_paths.find(d.pid); it != m_paths.end()) {
            const auto slash = it->second.rfind('/');
            it->second = (slash == std::string::npos ? std::string() : it->second.substr(0, slash + 1)) + d.text;
        }
        break;
    case DeltaType::SupervisorGaveUp:
        ++m_gaveUp;
        break;
    case DeltaType::Exit:
        m_paths.erase(d.pid);
        break;
    default:
        break;
    }
}

std::string ProbeMetrics::render(const Runtime& rt, const ProbeStats& stats) {
    std::uint64_t count = 0;
    std::int64_t maxMailbox = 0, totalMailbox = 0;
    std::uint64_t liveHandled = 0;
    struct Live {
        std::uint64_t pid = 0;
        int inWindow = 0;
        int maxRestarts = 0;
    };
    std::map<std::string, Live> live; // by path; a restarted supervisor replaces its dying predecessor
    CounterDiff::Change ignore;
    m_handled.begin();
    rt.forEachProcessView([&](const ProcessView& v) {
        ++count;
        maxMailbox = std::max(maxMailbox, v.mailboxLength);
        totalMailbox += v.mailboxLength;
        liveHandled += v.messagesHandled;
        m_handled.visit(v.pid, v.mailboxLength, v.messagesHandled, ignore);
        if (v.meta && v.meta->kind != ProcessKind::Worker) {
            auto p = m_paths.find(v.pid);
            const std::string path =
                p != m_paths.end() ? p->second : segmentName(v.registeredName, v.meta->childId, v.initialCall, v.pid);
            Live& l = live[path];
            if (l.pid == 0 || v.restartsInWindow > l.inWindow) l = {v.pid, v.restartsInWindow, v.meta->maxRestarts};
        }
    });
    m_handled.end();
    m_departedHandled += m_handled.departedHandled();

    std::ostringstream o;
    single(o, "canopy_processes", "gauge", "Live processes in the runtime.", count);
    single(o, "canopy_mailbox_length_max", "gauge", "Longest mailbox of any process, in messages.", maxMailbox);
    single(o, "canopy_mailbox_messages", "gauge", "Messages waiting in all mailboxes.", totalMailbox);
    single(o, "canopy_messages_handled_total", "counter",
           "Messages handled since the probe started watching (processes that exited count as of the last "
           "scrape that saw them).",
           m_departedHandled + liveHandled);
    single(o, "canopy_child_restarts_total", "counter", "Child restarts by any supervisor since the probe started.",
           m_restarts);
    single(o, "canopy_supervisor_gave_up_total", "counter",
           "Supervisors that reached their maximum restart intensity since the probe started.", m_gaveUp);
    family(o, "canopy_supervisor_restarts_total", "counter",
           "Child restarts per supervisor path (registered names or child ids from the root) since the probe started.");
    for (const auto& [path, n] : m_restartsByPath)
        o << "canopy_supervisor_restarts_total{supervisor=\"" << promLabel(path) << "\"} " << n << '\n';
    family(o, "canopy_supervisor_restarts_in_window", "gauge",
           "Restarts counted in the live supervisor's intensity window (the highest among supervisors sharing the "
           "path).");
    for (const auto& [path, l] : live)
        o << "canopy_supervisor_restarts_in_window{supervisor=\"" << promLabel(path) << "\"} " << l.inWindow << '\n';
    family(o, "canopy_supervisor_max_restarts", "gauge",
           "Restarts the live supervisor allows within its window before it gives up (of the one reported in "
           "canopy_supervisor_restarts_in_window).");
    for (const auto& [path, l] : live)
        o << "canopy_supervisor_max_restarts{supervisor=\"" << promLabel(path) << "\"} " << l.maxRestarts << '\n';
    single(o, "canopy_probe_sample_walk_cpu_seconds", "gauge", "CPU time of the sampler's last process-table walk.",
           stats.lastWalkCpuSeconds);
    single(o, "canopy_probe_viewers", "gauge", "Viewers connected and streaming.", stats.viewers);
    single(o, "canopy_probe_handshakes", "gauge", "Connections waiting for their hello.", stats.handshakes);
    single(o, "canopy_probe_events_total", "counter", "Lifecycle events received from the runtime.", stats.eventsSeen);
    single(o, "canopy_probe_events_dropped_total", "counter", "Lifecycle events dropped (runtime queue full).",
           stats.eventsDropped);
    single(o, "canopy_probe_viewer_resyncs_total", "counter", "Keyframe resyncs sent to viewers, past and present.",
           stats.viewerResyncs);
    single(o, "canopy_probe_viewer_dropped_total", "counter",
           "Structural frames dropped for slow viewers, past and present.", stats.viewerDropped);
    single(o, "canopy_probe_connections_refused_total", "counter",
           "Connections refused before their hello (too many waiting, or a first frame too large).",
           stats.connectionsRefused);
    single(o, "canopy_probe_accept_errors_total", "counter",
           "Failed accepts (e.g. out of file descriptors; the probe then retries on a timer).", stats.acceptErrors);
    single(o, "canopy_probe_flight_recorder_dumps_total", "counter", "Flight-recorder files written.",
           stats.flightDumps);
    single(o, "canopy_probe_flight_recorder_dumps_removed_total", "counter",
           "Old flight-recorder files removed to keep the dump directory within its caps.", stats.flightDumpsRemoved);
    return o.str();
}

} // namespace canopy::introspection
