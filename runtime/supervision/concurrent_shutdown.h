#pragma once
#include "runtime/context.h"
#include "runtime/exit_reason.h"
#include "runtime/monitor_ref.h"
#include "runtime/supervision/shutdown_target.h"
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace canopy::supervision {

/// Internal: Elixir DynamicSupervisor's concurrent shutdown (terminate_children/2): every child is
/// monitored, unlinked and signalled at once (`kill` for brutal_kill, else `shutdown`), one timer per
/// distinct timeout kills the stragglers with that timeout, then the DOWNs are collected. Unexpected
/// reasons are grouped per reason (one shutdown_error report each).
class ConcurrentShutdown : public std::enable_shared_from_this<ConcurrentShutdown> {
public:
    /// Called once per distinct unexpected reason with the targets (indices) that died with it.
    using OnError = std::function<void(Context&, const ExitReason& reason, const std::vector<std::size_t>& targets)>;
    using Done = std::function<void(Context&)>;

    /// Starts the shutdown (callbacks may run before it returns).
    static void run(Context& ctx, std::vector<ShutdownTarget> targets, OnError onError, Done done);

    ConcurrentShutdown(std::vector<ShutdownTarget> targets, OnError onError, Done done);

private:
    void begin(Context& ctx);
    void pump(Context& ctx);
    void onDown(std::size_t index, const ExitReason& reason);
    void recordError(std::size_t index, const ExitReason& reason);
    void finish(Context& ctx);

    std::vector<ShutdownTarget> m_targets;
    OnError m_onError;
    Done m_done;
    std::unordered_map<std::uint64_t, std::size_t> m_byRef;   // monitor ref → target
    std::unordered_map<std::uint64_t, std::size_t> m_deadByPid; // waiting for its 'EXIT': pid id → target
    std::unordered_map<std::uint64_t, bool> m_deadUnsignalled;  // pid id → died before we signalled it
    std::map<std::int64_t, std::vector<std::size_t>> m_byTimeout;
    std::vector<TimerRef> m_timers;
    std::vector<std::pair<ExitReason, std::vector<std::size_t>>> m_errors;
    std::uint64_t m_token = 0;
    std::size_t m_pending = 0;
    bool m_inPump = false;
    bool m_waiting = false;
    bool m_finished = false;
};

} // namespace canopy::supervision
