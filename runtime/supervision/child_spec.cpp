#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/child_start_scope.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"

namespace canopy {

ChildSpec ChildSpec::worker(std::string id, std::function<std::unique_ptr<GenServer>()> factory) {
    ChildSpec c;
    c.id = std::move(id);
    c.start = [factory = std::move(factory)](Context& ctx) { return ctx.startLink(factory(), startOptions()); };
    return c;
}

ChildSpec ChildSpec::supervisor(std::string id, SupervisorSpec spec) {
    ChildSpec c;
    c.id = std::move(id);
    c.type = ChildType::Supervisor;
    c.start = [spec = std::move(spec)](Context& ctx) { return Supervisor::startLink(ctx, spec); };
    return c;
}

ChildSpec ChildSpec::dynamicSupervisor(std::string id, DynamicSupervisorOptions options) {
    ChildSpec c;
    c.id = std::move(id);
    c.type = ChildType::Supervisor;
    c.start = [options = std::move(options)](Context& ctx) { return DynamicSupervisor::startLink(ctx, options); };
    return c;
}

ServerOptions ChildSpec::startOptions() {
    ServerOptions o;
    o.meta = supervision::ChildStartScope::current();
    return o;
}

SpawnOptions ChildSpec::spawnOptions() {
    SpawnOptions o;
    o.link = true;
    o.meta = supervision::ChildStartScope::current();
    return o;
}

std::shared_ptr<const ChildMeta> ChildSpec::currentMeta() { return supervision::ChildStartScope::current(); }

} // namespace canopy
