#pragma once
// Internal: the request messages of the supervisor API (gen_server calls/casts). Replies are the
// public result types (ChildResult, std::vector<ChildInfo>, ChildCounts, std::optional<ChildSpec>).
#include "runtime/exit_reason.h"
#include "runtime/message.h"
#include "runtime/pid.h"
#include "runtime/supervision/child_result.h"
#include "runtime/supervision/child_spec.h"
#include <string>

namespace canopy::supervision {

/// `{start_child, Spec}`.
struct StartChildRequest {
    ChildSpec spec;
};
/// `{restart_child, Id}`.
struct RestartChildRequest {
    std::string id;
};
/// `{terminate_child, Id}` (static) or `{terminate_child, Pid}` (dynamic: pid set).
struct TerminateChildRequest {
    std::string id;
    Pid pid;
};
/// `{delete_child, Id}`.
struct DeleteChildRequest {
    std::string id;
};
/// `which_children`.
struct WhichChildrenRequest {};
/// `count_children`.
struct CountChildrenRequest {};
/// `{get_childspec, Id}`.
struct GetChildspecRequest {
    std::string id;
};
/// gen_server:stop(Sup, Reason) (cast).
struct StopRequest {
    ExitReason reason;
};
/// `{try_again_restart, Id}` (cast to self) / DynamicSupervisor's `{'$gen_restart', OldPid}`.
struct TryAgainRestart {
    std::string id;
    Pid oldPid;
};

/// Blocking call to a (dynamic) supervisor from a plain thread; a failed call (timeout, noproc, bad
/// reply) becomes ChildResult CallFailed with the call's exit reason.
ChildResult callChild(Runtime& rt, const Pid& sup, Message request, std::int64_t timeoutMs);

} // namespace canopy::supervision
