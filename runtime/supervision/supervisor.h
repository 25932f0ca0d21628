#pragma once
#include "runtime/context.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_counts.h"
#include "runtime/supervision/child_info.h"
#include "runtime/supervision/child_result.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/supervisor_spec.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace canopy {

/// OTP's `supervisor` (with Elixir's defaults): a GenServer that traps exits, starts its children in
/// order, restarts them by strategy and restart type within the intensity limit, and stops them in
/// reverse order with the sequential shutdown protocol. See runtime/supervision/README.md.
///
/// Start: startLink (from process code; linked; init — including every child's start — runs before
/// it returns) or start (from a plain thread). Results: `{ok,Pid}`, `ignore` (configure returned
/// nullopt), `{error,{start_spec,E}}`, `{error,{supervisor_data,E}}`,
/// `{error,{shutdown,{failed_to_start_child,Id,R}}}`, `{error,{already_started,Pid}}` (name taken).
///
/// The API functions exist twice: blocking (Runtime&, for plain threads; in manual mode they step
/// the runtime) and continuation-passing (Context&, for process code: a gen_server call; like OTP the
/// caller exits if the supervisor is dead or does not answer in time).
class Supervisor : public GenServer {
public:
    /// init/1 of a supervisor callback module: the spec, or nullopt for `ignore`.
    using Configure = std::function<std::optional<SupervisorSpec>(Context&)>;
    /// Continuation of a process-side API call.
    template <class T> using Then = std::function<void(Context&, T)>;

    /// A supervisor with a fixed spec.
    explicit Supervisor(SupervisorSpec spec);
    /// A supervisor whose spec is computed in its init (may return nullopt = ignore).
    explicit Supervisor(Configure configure);
    ~Supervisor() override;

    /// supervisor:start_link from process code (the caller becomes the parent). name "" = none.
    static StartResult startLink(Context& ctx, SupervisorSpec spec, std::string name = {});
    /// supervisor:start_link with a configure callback.
    static StartResult startLink(Context& ctx, Configure configure, std::string name = {});
    /// Starts a root supervisor from a plain thread (no parent; stop it with stop()).
    static StartResult start(Runtime& rt, SupervisorSpec spec, std::string name = {});
    /// Starts a root supervisor with a configure callback from a plain thread.
    static StartResult start(Runtime& rt, Configure configure, std::string name = {});

    // --- blocking API (plain threads) ---
    /// start_child: `{ok,Pid}`, `{ok,undefined}` (ignore), `{error,{already_started,Pid}}`,
    /// `{error,already_present}`, `{error,E}` (bad spec), `{error,{R,Child}}` (start failed: StartFailed).
    static ChildResult startChild(Runtime& rt, const Pid& sup, ChildSpec spec, std::int64_t timeoutMs = 5000);
    /// restart_child: `{ok,Pid}` / `{ok,undefined}` / `{error,running|restarting|not_found}` /
    /// `{error,R}`. Does not count towards intensity.
    static ChildResult restartChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs = 5000);
    /// terminate_child: `ok` (also when already stopped; temporary children are deleted) or
    /// `{error,not_found}`. Never restarts, never triggers auto_shutdown.
    static ChildResult terminateChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs = 5000);
    /// delete_child: `ok` for a stopped child; `{error,running|restarting|not_found}`.
    static ChildResult deleteChild(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs = 5000);
    /// which_children in OTP's order (reverse start order); empty if the call failed. Works on
    /// DynamicSupervisor too.
    static std::vector<ChildInfo> whichChildren(Runtime& rt, const Pid& sup, std::int64_t timeoutMs = 5000);
    /// count_children (zeros if the call failed). Works on DynamicSupervisor too.
    static ChildCounts countChildren(Runtime& rt, const Pid& sup, std::int64_t timeoutMs = 5000);
    /// get_childspec: the spec, or nullopt for `{error,not_found}` (or a failed call).
    static std::optional<ChildSpec> getChildspec(Runtime& rt, const Pid& sup, const std::string& id, std::int64_t timeoutMs = 5000);
    /// Stops a supervisor (gen_server:stop): its children are terminated in reverse order, then it
    /// exits with reason. Waits up to timeoutMs for its exit; true if it exited.
    static bool stop(Runtime& rt, const Pid& sup, ExitReason reason = ExitReason::normal(), std::int64_t timeoutMs = 60'000);

    // --- process-side API (continuations) ---
    /// start_child from process code.
    static void startChild(Context& ctx, const Pid& sup, ChildSpec spec, Then<ChildResult> then, std::int64_t timeoutMs = 5000);
    /// restart_child from process code.
    static void restartChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then, std::int64_t timeoutMs = 5000);
    /// terminate_child from process code.
    static void terminateChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then, std::int64_t timeoutMs = 5000);
    /// delete_child from process code.
    static void deleteChild(Context& ctx, const Pid& sup, std::string id, Then<ChildResult> then, std::int64_t timeoutMs = 5000);
    /// which_children from process code.
    static void whichChildren(Context& ctx, const Pid& sup, Then<std::vector<ChildInfo>> then, std::int64_t timeoutMs = 5000);
    /// count_children from process code.
    static void countChildren(Context& ctx, const Pid& sup, Then<ChildCounts> then, std::int64_t timeoutMs = 5000);
    /// get_childspec from process code (nullopt = not_found).
    static void getChildspec(Context& ctx, const Pid& sup, std::string id, Then<std::optional<ChildSpec>> then, std::int64_t timeoutMs = 5000);
    /// Asks a supervisor to stop with reason (asynchronous; monitor it to see it go).
    static void stop(Context& ctx, const Pid& sup, ExitReason reason = ExitReason::normal());

    // --- GenServer callbacks (runtime internal) ---
    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleCast(Context& ctx, Message& request) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    void terminate(Context& ctx, const ExitReason& reason) override;
    std::string initialCall() const override { return "supervisor"; }

    struct State;

private:
    std::unique_ptr<State> m_state;
};

} // namespace canopy
