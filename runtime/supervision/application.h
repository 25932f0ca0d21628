#pragma once
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor_spec.h"
#include <string>
#include <vector>

namespace canopy {

/// An OTP application reduced to what Canopy needs: a named root supervision tree with start/stop.
/// `start` starts the root supervisor registered under the application's name (`{error,
/// {already_started,Pid}}` if it runs); `stop` shuts the tree down (children in reverse order) and
/// waits for it. Applications are per Runtime.
class Application {
public:
    /// application:start/1 — the tree's root supervisor, registered as name.
    static StartResult start(Runtime& rt, const std::string& name, SupervisorSpec spec);
    /// application:stop/1 — stops the root with reason shutdown; false if not running or it did not
    /// exit within timeoutMs.
    static bool stop(Runtime& rt, const std::string& name, std::int64_t timeoutMs = 60'000);
    /// The root supervisor of a running application (empty Pid if not running).
    static Pid root(const Runtime& rt, const std::string& name);
    /// application:which_applications/0 — names of the running applications of rt, in start order.
    static std::vector<std::string> running(const Runtime& rt);
};

} // namespace canopy
