#pragma once
#include "app/canopy-beam/beam_connection.h"
#include "app/canopy-beam/beam_latency.h"
#include "introspection/delta.h"
#include "introspection/probe/probe_options.h"
#include "introspection/probe/probe_source.h"
#include "introspection/probe/probe_transport.h"
#include "introspection/process_record.h"
#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace canopy::beam {

/// How canopy-beam attaches to a node.
struct BeamOptions {
    /// The observed node, name@host.
    std::string node;
    /// The distribution cookie.
    std::string cookie;
    /// Connect deadline and the deadline of each call to the node, ms.
    unsigned timeoutMs = 5000;
    /// How long one supervisor may take to answer which_children / sys:get_state, ms.
    unsigned supervisorTimeoutMs = 1000;
    /// Applications to draw (their names as printed, e.g. "todo"); empty = every application and
    /// every process outside them.
    std::vector<std::string> applications;
    /// Shortest interval between two samples of mailbox lengths, ms.
    unsigned intervalMs = 500;
};

/// A BEAM node as a ProbeSource: the tree the agent module walked at attach, kept current from the
/// agent's events (spawns, exits, names, supervisor reports) as deltas, served by a ProbeTransport.
/// The erl_interface connection lives on its own thread; the tree and the viewers on the Asio
/// thread that run() drives.
class BeamSource : public introspection::ProbeSource {
public:
    /// Connects, loads the agent, walks the tree and starts listening; throws BeamError.
    BeamSource(BeamOptions opts, introspection::ProbeOptions probeOpts, std::vector<char> agentBeam);
    /// Detaches (the agent removes itself) and closes every viewer.
    ~BeamSource() override;

    /// Serves viewers until stop() or until the node goes away; returns the exit code (0 stopped,
    /// 3 the node went away, 4 internal error).
    int run();
    /// Detaches from the node (the agent removes itself) and joins the connection thread; idempotent.
    void detach();
    /// Asks run() to return (any thread, async-signal-safe: it only stores a flag and posts).
    void stop();
    /// The bound port.
    std::uint16_t port() const { return m_transport->port(); }
    /// How long the agent's events took from the node to the bridge (connection thread; read after run()).
    const BeamLatency& latency() const { return m_latency; }
    /// Processes in the walk at attach and how long the walk took (ms).
    std::size_t attachedProcesses() const { return m_attachCount; }
    double attachWalkMs() const { return m_attachWalkMs; }

    std::string describe() const override;
    std::int64_t startNs() const override { return m_startNs; }
    std::int64_t nowNs() const override;
    void catchUp() override {}
    void appendKeyframeFrame(std::vector<std::uint8_t>& out, std::uint64_t seq, introspection::Encoding encoding) override;
    introspection::Keyframe buildKeyframe(std::uint64_t root) override;
    void runCommand(const introspection::Command& cmd,
                    std::function<void(introspection::CommandResult)> done) override;
    void samplingChanged(double hz) override;

private:
    /// Work the Asio thread hands to the connection thread.
    struct Request {
        enum class Kind { Rescan, Resnapshot, Sample, Command } kind = Kind::Rescan;
        std::uint64_t pid = 0;
        introspection::Command command;
        std::function<void(introspection::CommandResult)> done;
    };

    void connectionLoop();
    void handleMessage(const BeamMessage& msg);
    /// One {canopy, Tag, ...} event of a batch.
    void handleEvent(class BeamTermReader& t);
    void runRequest(Request& r);
    std::vector<introspection::ProcessRecord> decodeRecords(const BeamMessage& reply);
    std::vector<char> encodePid(std::uint64_t pid) const;
    void push(Request r);
    /// Deletes and purges the agent module on the node (connection thread, or before it starts).
    void removeAgentModule();
    /// The agent's walk of the node (`snapshot` at attach, `resnapshot` after an overflow).
    std::vector<introspection::ProcessRecord> walkNode(const char* function);

    // Asio thread.
    void applySnapshot(std::vector<introspection::ProcessRecord> records);
    void applyResnapshot(std::vector<introspection::ProcessRecord> records);
    void applyRescan(std::uint64_t sup, std::vector<introspection::ProcessRecord> records);
    void onExit(std::uint64_t pid, const std::string& reason);
    void onSpawn(std::uint64_t parent, std::uint64_t child, const std::string& mfa);
    void onName(std::uint64_t pid, const std::string& name, bool registered);
    void onGaveUp(std::uint64_t sup, const std::string& reason);
    void onSample(std::uint64_t count, std::vector<std::pair<std::uint64_t, std::int64_t>> mailboxes);
    void emit(introspection::Delta& d);
    void eraseTree(std::uint64_t pid, const std::string& reason);
    /// Remembers a dynamic supervisor's children's restart type and shutdown (for children added from spawns).
    void noteChildSpec(const introspection::ProcessRecord& r);
    void scheduleRescan(std::uint64_t sup);
    void scheduleSample();
    /// Reports why serving ends and stops run() with `exitCode` (3 node gone, 4 internal error).
    void nodeGone(const std::string& why, int exitCode);

    BeamOptions m_opts;
    introspection::ProbeOptions m_probeOpts;
    std::unique_ptr<BeamConnection> m_conn;
    unsigned m_creation = 0;
    std::string m_pidNode;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    std::unique_ptr<introspection::ProbeTransport> m_transport;
    asio::steady_timer m_sampleTimer;
    std::int64_t m_startNs = 0;
    std::size_t m_attachCount = 0;
    BeamLatency m_latency;
    double m_attachWalkMs = 0;
    int m_exitCode = 0;
    bool m_debug = false; ///< CANOPY_BEAM_DEBUG: log agent events and rescans to stderr
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
    std::mutex m_requestMutex;
    std::vector<Request> m_requests;
    std::set<std::uint64_t> m_rescansQueued; ///< under m_requestMutex
    bool m_sampleQueued = false;            ///< under m_requestMutex

    // The tree (Asio thread).
    std::unordered_map<std::uint64_t, introspection::ProcessRecord> m_procs;
    std::uint64_t m_nextOrder = 1000000;
    /// Children that exited and whose supervisor may restart them: (supervisor, child id or initial call).
    std::multimap<std::uint64_t, std::string> m_exited;
    /// Dynamic supervisor -> (restart, shutdown) of its children, as the walks saw them.
    std::unordered_map<std::uint64_t, std::pair<std::string, std::string>> m_childSpecs;
    double m_sampleHz = 0;
    bool m_sampling = false;
    std::int64_t m_nextSampleNs = 0;
    std::unordered_map<std::uint64_t, std::int64_t> m_mailboxes; ///< non-empty mailboxes at the last sample
    std::uint64_t m_processCount = 0;
};

} // namespace canopy::beam
