#pragma once
#include "runtime/actor.h"
#include "runtime/monitor_ref.h"
#include "runtime/timer_ref.h"
#include "runtime/supervision/shutdown_target.h"
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::supervision {

/// Internal: enforces the shutdown timeouts of children a supervisor had to abandon when its init
/// failed (it cannot wait there). The supervisor has already sent them `shutdown`; the reaper
/// monitors them, kills those still alive when their timeout expires, reports unexpected reasons as
/// shutdown_error on behalf of the supervisor, and exits normal once all are gone.
class ShutdownReaper : public Actor {
public:
    ShutdownReaper(std::vector<ShutdownTarget> targets, std::uint64_t supervisor, std::string strategy)
        : m_targets(std::move(targets)), m_supervisor(supervisor), m_strategy(std::move(strategy)) {}
    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "supervisor:shutdown_reaper"; }

private:
    void finishIfDone(Context& ctx);
    std::vector<ShutdownTarget> m_targets;
    std::vector<MonitorRef> m_refs;
    std::vector<TimerRef> m_timers;
    std::vector<bool> m_done;
    std::size_t m_left = 0;
    std::uint64_t m_supervisor;
    std::string m_strategy;
};

} // namespace canopy::supervision
