#pragma once
#include "runtime/message.h"
#include "runtime/monitor_ref.h"
#include "runtime/pending_receive.h"
#include "runtime/pid.h"
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace canopy {

/// The rarely used parts of a process, allocated on first use so an idle process stays small.
struct ProcessExtras {
    /// Messages set aside by a selective receive, oldest first (already converted from signals).
    std::deque<MessageNode*> stash;
    /// How many stash entries the current receive has already looked at.
    std::size_t scanned = 0;
    std::optional<PendingReceive> receive;
    /// Monitors this process holds: ref -> target.
    std::vector<std::pair<MonitorRef, Pid>> monitors;
    /// Monitors on this process: ref -> watcher.
    std::vector<std::pair<MonitorRef, Pid>> monitoredBy;
    /// Registered name ("" if none).
    std::string name;

    ~ProcessExtras() {
        for (MessageNode* n : stash) delete n;
    }
};

} // namespace canopy
