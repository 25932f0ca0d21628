#pragma once
#include "runtime/context.h"
#include "runtime/gen_server.h"
#include "runtime/server_options.h"
#include "runtime/spawn_options.h"
#include "runtime/start_result.h"
#include "runtime/supervision/child_type.h"
#include "runtime/supervision/restart.h"
#include "runtime/supervision/shutdown.h"
#include <any>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace canopy {

struct SupervisorSpec;
struct DynamicSupervisorOptions;

/// A child specification (OTP's child_spec map). Required: id (non-empty) and start.
/// Defaults: restart permanent, shutdown 5000 ms for a worker / infinity for a supervisor,
/// type worker, significant false, modules {}.
///
/// The start function runs inside the supervisor process (its Context) and must spawn the child
/// *linked* to the supervisor (Context::startLink does) and return `{ok,Pid}`, `ignore` or
/// `{error,R}`. It should pass startOptions() / spawnOptions() so observers see the child's metadata.
struct ChildSpec {
    /// The start function: spawn+link, return OTP's start result.
    using StartFn = std::function<StartResult(Context&)>;
    /// A start function that receives a DynamicSupervisor's extra arguments (prepended in OTP).
    using StartWithExtraFn = std::function<StartResult(Context&, const std::vector<std::any>&)>;

    /// `id`: unique among a static supervisor's children (ignored by DynamicSupervisor).
    std::string id;
    /// `start` (required unless startWithExtra is set).
    StartFn start;
    /// Used instead of start by a DynamicSupervisor that has extra arguments.
    StartWithExtraFn startWithExtra;
    /// `restart` (default permanent).
    Restart restart = Restart::Permanent;
    /// `shutdown`; nullopt = OTP's default by type (5000 ms worker, infinity supervisor).
    std::optional<Shutdown> shutdown;
    /// `type` (default worker).
    ChildType type = ChildType::Worker;
    /// `significant` (default false): its exit may trigger auto_shutdown; not allowed with permanent.
    bool significant = false;
    /// `modules` (informational; default: none).
    std::vector<std::string> modules;

    /// The shutdown in effect: the explicit one or the default by type.
    Shutdown effectiveShutdown() const {
        if (shutdown)
            return *shutdown;
        return type == ChildType::Supervisor ? Shutdown::infinity() : Shutdown::timeout(5000);
    }

    /// Sets restart (fluent).
    ChildSpec&& withRestart(Restart r) && { restart = r; return std::move(*this); }
    /// Sets shutdown (fluent).
    ChildSpec&& withShutdown(Shutdown s) && { shutdown = s; return std::move(*this); }
    /// Sets significant (fluent).
    ChildSpec&& withSignificant(bool s = true) && { significant = s; return std::move(*this); }
    /// Sets type (fluent).
    ChildSpec&& withType(ChildType t) && { type = t; return std::move(*this); }
    /// Sets modules (fluent).
    ChildSpec&& withModules(std::vector<std::string> m) && { modules = std::move(m); return std::move(*this); }

    /// A GenServer worker child: each start constructs a fresh S from copies of args and
    /// start_links it with startOptions().
    template <class S, class... A> static ChildSpec worker(std::string id, A... args) {
        ChildSpec c;
        c.id = std::move(id);
        c.start = [args...](Context& ctx) { return ctx.startLink(std::make_unique<S>(args...), startOptions()); };
        return c;
    }
    /// A GenServer worker child built by factory at each start.
    static ChildSpec worker(std::string id, std::function<std::unique_ptr<GenServer>()> factory);
    /// A nested static Supervisor child (type supervisor, shutdown infinity).
    static ChildSpec supervisor(std::string id, SupervisorSpec spec);
    /// A nested DynamicSupervisor child (type supervisor, shutdown infinity).
    static ChildSpec dynamicSupervisor(std::string id, DynamicSupervisorOptions options);

    /// ServerOptions carrying the supervision metadata of the child being started right now (valid
    /// inside a start function called by a supervisor; otherwise empty options).
    static ServerOptions startOptions();
    /// SpawnOptions (link = true) carrying the same metadata, for children that are plain processes.
    static SpawnOptions spawnOptions();
    /// The metadata of the child being started right now (nullptr outside a supervisor's start call).
    static std::shared_ptr<const ChildMeta> currentMeta();
};

} // namespace canopy
