#include "examples/common/child_specs.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

ChildSpec namedWorker(std::string id, std::string name, std::function<std::unique_ptr<GenServer>()> factory) {
    ChildSpec c;
    c.id = std::move(id);
    c.start = [name = std::move(name), factory = std::move(factory)](Context& ctx) {
        ServerOptions o = ChildSpec::startOptions();
        o.name = name;
        return ctx.startLink(factory(), std::move(o));
    };
    return c;
}

ChildSpec namedSupervisor(std::string name, SupervisorSpec spec) {
    ChildSpec c;
    c.id = name;
    c.type = ChildType::Supervisor;
    c.start = [name, spec = std::move(spec)](Context& ctx) { return Supervisor::startLink(ctx, spec, name); };
    return c;
}

ChildSpec namedDynamicSupervisor(std::string name, DynamicSupervisorOptions options) {
    ChildSpec c;
    c.id = name;
    c.type = ChildType::Supervisor;
    c.start = [name, options = std::move(options)](Context& ctx) { return DynamicSupervisor::startLink(ctx, options, name); };
    return c;
}

} // namespace canopy::demo
