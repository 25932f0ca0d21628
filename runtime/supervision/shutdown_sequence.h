#pragma once
#include "runtime/context.h"
#include "runtime/exit_reason.h"
#include "runtime/supervision/shutdown_target.h"
#include <functional>
#include <memory>
#include <vector>

namespace canopy::supervision {

/// Internal: OTP's sequential shutdown protocol (supervisor.erl shutdown/1, terminate_children/2),
/// without blocking a thread. Targets are stopped one at a time in the given order: monitor;
/// brutal_kill → exit(Pid,kill); else exit(Pid,shutdown), wait up to the timeout (infinity = forever),
/// then exit(Pid,kill) and wait again; unlink (dropping the queued 'EXIT'). Waiting is a selective
/// receive, so the supervisor handles nothing else meanwhile (as in OTP).
class ShutdownSequence : public std::enable_shared_from_this<ShutdownSequence> {
public:
    /// Called per target with the reason it died with and whether that was a clean stop (§4.7).
    using OnResult = std::function<void(Context&, std::size_t index, const ExitReason& reason, bool clean)>;
    /// Called once all targets are down.
    using Done = std::function<void(Context&)>;

    /// Starts the sequence (callbacks may run before it returns).
    static void run(Context& ctx, std::vector<ShutdownTarget> targets, OnResult onResult, Done done);
    /// §4.7: is `reason` a clean stop for a child with this shutdown and restart type?
    static bool isClean(const Shutdown& shutdown, Restart restart, const ExitReason& reason);

    ShutdownSequence(std::vector<ShutdownTarget> targets, OnResult onResult, Done done);

private:
    void pump(Context& ctx);
    void startOne(Context& ctx);
    void awaitDown(Context& ctx, MonitorRef ref, std::int64_t timeoutMs, bool killOnTimeout);
    void onDown(Context& ctx, ExitReason reason);
    void finishOne(Context& ctx, const ExitReason& reason);

    std::vector<ShutdownTarget> m_targets;
    OnResult m_onResult;
    Done m_done;
    std::size_t m_index = 0;
    bool m_inPump = false;
    bool m_waiting = false;
    bool m_finished = false;
};

} // namespace canopy::supervision
