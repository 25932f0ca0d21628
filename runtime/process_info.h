#pragma once
#include "runtime/process_kind.h"
#include "runtime/process_status.h"
#include <cstdint>
#include <string>
#include <vector>

namespace canopy {

/// A consistent-enough copy of one process's observable state, read without pausing it
/// (counters are relaxed atomics; links/monitors are copied under the process's small lock).
struct ProcessInfo {
    std::uint64_t pid = 0;
    /// The process that spawned it (its supervisor for supervised children); 0 for none.
    std::uint64_t parent = 0;
    std::string registeredName;
    std::string initialCall;
    ProcessStatus status = ProcessStatus::Waiting;
    std::int64_t mailboxLength = 0;
    std::uint64_t messagesHandled = 0;
    std::uint64_t memoryBytes = 0;
    bool trapExit = false;
    std::vector<std::uint64_t> links;
    std::vector<std::uint64_t> monitors; ///< processes this one monitors
    /// Supervision metadata (hasMeta false for plain processes).
    bool hasMeta = false;
    std::string childId;
    ProcessKind kind = ProcessKind::Worker;
    std::string restart;
    std::string shutdown;
    bool significant = false;
    std::string strategy;
    int maxRestarts = 0;
    int maxSeconds = 0;
    int restartsInWindow = 0;
};

} // namespace canopy
