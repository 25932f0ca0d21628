#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {

/// One process as the observer side knows it (from the wire or a session file). Qt-free and
/// runtime-free: the observer never includes runtime headers.
struct ProcessRecord {
    std::uint64_t pid = 0;
    /// Printed pid, e.g. `<0.42.0>`.
    std::string pidText;
    /// Supervisor (or spawning process) pid; 0 for a root.
    std::uint64_t parent = 0;
    /// Registered name ("" if none).
    std::string name;
    /// Child id in the parent supervisor's spec ("" if none / dynamic child).
    std::string childId;
    /// "worker" | "supervisor" | "dynamic_supervisor".
    std::string kind = "worker";
    /// Supervisors: "one_for_one" | "one_for_all" | "rest_for_one".
    std::string strategy;
    /// "permanent" | "transient" | "temporary" | "" (unsupervised).
    std::string restart;
    /// "brutal_kill" | "infinity" | milliseconds as text | "".
    std::string shutdown;
    bool significant = false;
    /// "waiting" | "runnable" | "running" | "exiting" | "dead".
    std::string status = "waiting";
    std::string initialCall;
    std::int64_t mailboxLength = 0;
    std::uint64_t messagesHandled = 0;
    std::uint64_t memoryBytes = 0;
    /// BEAM processes (canopy-beam): reductions, the VM's count of work done, as of the last walk.
    /// 0 for Canopy's own runtime, which counts messages handled instead.
    std::uint64_t reductions = 0;
    /// Supervisors: restarts in the current intensity window and the limit (max_restarts/max_seconds).
    int restartsInWindow = 0;
    int maxRestarts = 0;
    int maxSeconds = 0;
    /// Supervisors: the restarts the intensity window counts, as the runtime keeps them (OTP's
    /// `restarts` list): whole seconds of the probe clock (floor(time_ns / 1e9)), oldest first.
    /// Empty when none, or when the probe predates protocol 1.1 (then only restartsInWindow is known).
    std::vector<std::int64_t> restartStamps;
    /// Restarts of this child seen over the session (observer-side count).
    int restartCount = 0;
    /// Last exit reason seen for this child slot ("" if none).
    std::string lastExitReason;
    std::vector<std::uint64_t> links;
    std::vector<std::uint64_t> monitors;
    /// Order in which this child was started under its parent (for start-order drawing).
    std::uint64_t startOrder = 0;

    /// The label a diagram shows: registered name, else child id, else initial call, else pid.
    const std::string& displayName() const {
        if (!name.empty()) return name;
        if (!childId.empty()) return childId;
        if (!initialCall.empty()) return initialCall;
        return pidText;
    }
    /// Equal in every field.
    friend bool operator==(const ProcessRecord&, const ProcessRecord&) = default;
    /// Equal apart from the counters a sample updates (mailbox length, messages handled).
    bool sameExceptCounters(const ProcessRecord& o) const {
        return pid == o.pid && parent == o.parent && startOrder == o.startOrder && status == o.status &&
               restartCount == o.restartCount && restartsInWindow == o.restartsInWindow && memoryBytes == o.memoryBytes &&
               name == o.name && childId == o.childId && kind == o.kind && strategy == o.strategy &&
               restart == o.restart && shutdown == o.shutdown && significant == o.significant &&
               initialCall == o.initialCall && maxRestarts == o.maxRestarts && maxSeconds == o.maxSeconds &&
               lastExitReason == o.lastExitReason && pidText == o.pidText && links == o.links &&
               monitors == o.monitors && restartStamps == o.restartStamps;
    }
};

} // namespace canopy::introspection
