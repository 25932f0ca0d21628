#pragma once
#include "app/canopy-scenario/scenario_trace.h"
#include "runtime/gen_server.h"
#include <string>

namespace canopy {

/// The scenario worker: a server that traps exits, records `start` / `start_failed` /
/// `start_ignored` in init and `stop` in terminate, and stops itself on a CrashRequest.
class ScenarioWorker : public GenServer {
public:
    /// How init answers when no failure is pending: `ok`, `ignore` or `error`.
    enum class InitMode : unsigned char { Ok, Ignore, Error };

    /// A worker named path reporting to trace (which must outlive it).
    ScenarioWorker(ScenarioTrace* trace, std::string path, InitMode mode);

    /// Traps exits; fails if a fail_next_starts is pending or the mode says error; else records start.
    InitResult init(Context& ctx) override;
    /// CrashRequest: stop with its reason after replying ok.
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    /// An `{'EXIT',From,R}` from a non-parent stops the worker with R (like the oracle's worker).
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    /// Records `stop` with the reason.
    void terminate(Context& ctx, const ExitReason& reason) override;
    std::string initialCall() const override { return "scenario_worker"; }

    /// Parses `ok` / `ignore` / `error` (anything else: ok).
    static InitMode parseMode(const std::string& text);

private:
    ScenarioTrace* m_trace;
    std::string m_path;
    InitMode m_mode;
};

} // namespace canopy
