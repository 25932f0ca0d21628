#pragma once
#include "runtime/context.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_counts.h"
#include "runtime/supervision/child_info.h"
#include "runtime/supervision/child_result.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/dynamic_supervisor_options.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace canopy {

/// Elixir's DynamicSupervisor: starts empty, children are added with startChild (ids ignored,
/// duplicates fine), one_for_one restarts within maxRestarts/maxSeconds, at most maxChildren
/// children (restarting ones included), and a *concurrent* shutdown (all children signalled at once,
/// one timer per distinct shutdown value). which_children/count_children: use Supervisor's functions.
class DynamicSupervisor : public GenServer {
public:
    template <class T> using Then = std::function<void(Context&, T)>;

    explicit DynamicSupervisor(DynamicSupervisorOptions options = {});
    ~DynamicSupervisor() override;

    /// DynamicSupervisor.start_link from process code. name "" = none.
    static StartResult startLink(Context& ctx, DynamicSupervisorOptions options = {}, std::string name = {});
    /// Starts a root dynamic supervisor from a plain thread.
    static StartResult start(Runtime& rt, DynamicSupervisorOptions options = {}, std::string name = {});

    /// start_child: `{ok,Pid}`, `{ok,undefined}` for ignore (not stored), `{error,max_children}`,
    /// `{error,R}` (StartFailed, unwrapped), `{error,E}` for a bad spec (InvalidSpec; shutdown must
    /// be > 0 ms, infinity or brutal_kill).
    static ChildResult startChild(Runtime& rt, const Pid& sup, ChildSpec spec, std::int64_t timeoutMs = 5000);
    /// terminate_child(sup, pid): `ok` or `{error,not_found}`.
    static ChildResult terminateChild(Runtime& rt, const Pid& sup, const Pid& child, std::int64_t timeoutMs = 5000);
    /// start_child from process code.
    static void startChild(Context& ctx, const Pid& sup, ChildSpec spec, Then<ChildResult> then, std::int64_t timeoutMs = 5000);
    /// terminate_child from process code.
    static void terminateChild(Context& ctx, const Pid& sup, Pid child, Then<ChildResult> then, std::int64_t timeoutMs = 5000);

    // --- GenServer callbacks (runtime internal) ---
    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleCast(Context& ctx, Message& request) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    void terminate(Context& ctx, const ExitReason& reason) override;
    std::string initialCall() const override { return "dynamic_supervisor"; }

    struct State;

private:
    std::unique_ptr<State> m_state;
};

} // namespace canopy
