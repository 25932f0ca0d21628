#pragma once
#include "runtime/message.h"
#include "runtime/message_stash.h"
#include "runtime/monitor_set.h"
#include "runtime/pending_call.h"
#include "runtime/pending_receive.h"
#include "runtime/pid.h"
#include "runtime/timer_ref.h"
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace canopy {

/// The rarely used parts of a process, allocated on first use so an idle process stays small.
struct ProcessExtras {
    static constexpr std::int64_t NoDeadline = std::numeric_limits<std::int64_t>::max();

    /// Messages set aside by a selective receive or call, oldest first (already converted from
    /// signals).
    MessageStash stash;
    /// How many stash entries the current receive has already looked at.
    std::size_t scanned = 0;
    /// The selective receive the process waits in, if any ...
    std::optional<PendingReceive> receive;
    /// ... or the call it waits in (call.tag != 0). Never both.
    PendingCall call;
    /// When the current wait (receive or call) times out (NoDeadline: never).
    std::int64_t waitDeadlineNs = NoDeadline;
    /// The deadline of the wait tick armed for this process (NoDeadline: none) and its timer.
    std::int64_t armedTickNs = NoDeadline;
    TimerRef tickTimer;
    /// Monitors this process holds (ref -> target), and those held on it (ref -> watcher). The
    /// second is written by the watchers themselves, under the process's lock.
    MonitorSet monitors;
    MonitorSet monitoredBy;
    /// Registered name ("" if none).
    std::string name;

    /// True while a receive or a call waits.
    bool waiting() const { return receive.has_value() || call.tag != 0; }

    // Pooled like message nodes: an extras block comes and goes with every monitored process.
    static void* operator new(std::size_t size) { return NodePool::allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept { NodePool::deallocate(p, size); }
};

} // namespace canopy
