#pragma once
#include "runtime/gen_server.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/dynamic_supervisor_options.h"
#include "runtime/supervision/supervisor_spec.h"
#include <functional>
#include <memory>
#include <string>

namespace canopy::demo {

/// A worker child registered under name (name "" = unregistered); factory builds a fresh server per start.
ChildSpec namedWorker(std::string id, std::string name, std::function<std::unique_ptr<GenServer>()> factory);
/// A static Supervisor child registered under name (the child id is the name).
ChildSpec namedSupervisor(std::string name, SupervisorSpec spec);
/// A DynamicSupervisor child registered under name (the child id is the name).
ChildSpec namedDynamicSupervisor(std::string name, DynamicSupervisorOptions options);

} // namespace canopy::demo
