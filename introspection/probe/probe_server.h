#pragma once
#include "introspection/command.h"
#include "introspection/command_result.h"
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/probe/accept_backoff.h"
#include "introspection/probe/counter_diff.h"
#include "introspection/probe/event_queue.h"
#include "introspection/probe/fatal_dump.h"
#include "introspection/probe/flight_recorder.h"
#include "introspection/probe/probe_metrics.h"
#include "introspection/probe/probe_options.h"
#include "introspection/probe/probe_source.h"
#include "introspection/probe/probe_transport.h"
#include "introspection/probe/slot_tracker.h"
#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <condition_variable>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

class ViewerConnection;
class MetricsServer;

/// The in-process probe's engine and the runtime's ProbeSource: one Asio thread that drains the
/// runtime's events into deltas, samples the process table, feeds the flight recorder and serves
/// /metrics; viewers are served by its ProbeTransport. Everything except the EventQueue producers and
/// the public query methods runs on that thread.
class ProbeServer : public ProbeSource {
public:
    /// Binds (throws std::runtime_error naming the problem), attaches the event sink, starts the thread.
    ProbeServer(Runtime& rt, ProbeOptions opts);
    /// Detaches the sink, closes every connection, joins the thread.
    ~ProbeServer() override;

    std::uint16_t port() const { return m_transport->port(); }
    std::uint16_t metricsPort() const { return m_metricsPort; }
    const std::string& token() const { return m_transport->token(); }
    /// Writes the flight recorder to a session file (from any thread); returns its path ("" if off).
    std::string dumpFlightRecorder(const std::string& reason);
    /// Viewers currently streaming (any thread).
    std::size_t viewerCount() const { return m_transport->viewerCount(); }
    /// Paths of the flight-recorder files written so far and not removed by the directory's caps (any thread).
    std::vector<std::string> dumps() const;

    // ---- Asio thread only ----
    Runtime& runtime() { return m_rt; }
    const ProbeOptions& options() const { return m_opts; }
    asio::io_context& io() { return m_io; }
    /// Probe clock at startup (the session's T = 0).
    std::int64_t startNs() const override { return m_startNs; }
    std::int64_t nowNs() const override;
    /// Describes the observed program ("canopy-demo (pid N)").
    std::string describe() const override;
    /// Delivers pending events (viewers not flushed).
    void catchUp() override { drainEvents(false); }
    /// The whole-tree keyframe straight from the table walk (B14's path).
    void appendKeyframeFrame(std::vector<std::uint8_t>& out, std::uint64_t seq, Encoding encoding) override;
    /// Delivers pending events, then walks the table (the keyframe's seq is the caller's to set).
    Keyframe buildKeyframe(std::uint64_t root) override;
    /// Static supervisors' child slots (sibling order, ghost slots) for keyframes.
    const SlotTracker& slotTracker() const { return m_slotTracker; }
    /// Executes a viewer command (already authorised by the connection); `done` runs on the Asio
    /// thread. Supervisor calls run on a helper thread so a slow shutdown never stalls the probe.
    void runCommand(const Command& cmd, std::function<void(CommandResult)> done) override;
    /// The fastest viewer sample rate changed: restart the sampler at that rate.
    void samplingChanged(double hz) override;
    /// Drains the event queue now (also runs when the queue signals new events); with flushViewers
    /// the viewers start writing what was queued.
    void drainEvents(bool flushViewers = true);
    /// Prometheus text exposition of the current state.
    std::string metricsText();

private:
    void scheduleSample();
    void sampleTick();
    void scheduleHousekeeping();
    void handleEvent(ProbeEvent& ev);
    /// A keyframe from a table walk, with the slot tracker's sibling orders and ghost slots.
    Keyframe walkKeyframe(std::uint64_t root = 0);
    void scheduleDump(const std::string& reason);
    std::string dumpNow(const std::string& reason);
    /// Starts a new flight-recorder generation from a keyframe of the live table.
    void rebaseRecorder();
    /// The flight recorder's directory.
    std::string dumpDirectory() const;

    Runtime& m_rt;
    ProbeOptions m_opts;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    asio::steady_timer m_sampleTimer;
    asio::steady_timer m_housekeepingTimer;
    asio::steady_timer m_dumpTimer;
    std::string m_pendingDumpReason;
    bool m_stopping = false;
    std::uint16_t m_metricsPort = 0;
    std::int64_t m_startNs = 0;
    EventQueue m_events;
    std::unique_ptr<MetricsServer> m_metricsServer;
    ProbeMetrics m_metrics;
    FlightRecorder m_recorder;
    std::unique_ptr<FatalDump> m_fatalDump; ///< written if the program dies (registered with FatalSignalHandler)
    std::uint64_t m_dumpsWritten = 0;
    std::uint64_t m_dumpsRemoved = 0;
    std::unique_ptr<ProbeTransport> m_transport;
    bool m_draining = false;
    bool m_samplerRunning = false;
    double m_samplerHz = 0;
    /// Bumped when the sampler chain is re-armed; a wait of an older chain ends without a tick.
    std::uint64_t m_samplerGeneration = 0;
    // Sampler state: each process's counters at the last walk; the last walk's totals and when the next
    // walk is allowed (walks are rationed to kSamplerDutyCycle of one core).
    std::int64_t m_lastWalkNs = 0;
    std::int64_t m_nextWalkNs = 0;
    std::int64_t m_walkTotalMailbox = 0;
    std::uint64_t m_walkTotalHandled = 0;
    std::uint64_t m_walkCount = 0;
    std::uint64_t m_walks = 0;
    double m_lastWalkCpuMs = 0;
    CounterDiff m_counterDiff;
    SlotTracker m_slotTracker;
    // Shadow state for triggers and metrics.
    std::unordered_set<std::uint64_t> m_rootSupervisors;
    std::uint64_t m_eventsSeen = 0;
    std::uint64_t m_queueOverflows = 0;
    mutable std::mutex m_dumpsMutex;
    std::vector<std::string> m_dumps;
    std::mutex m_commandMutex;
    std::condition_variable m_commandsDone;
    int m_commandsRunning = 0;
    std::thread m_thread;
};

} // namespace canopy::introspection
