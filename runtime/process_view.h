#pragma once
#include "runtime/child_meta.h"
#include "runtime/process_status.h"
#include <cstdint>
#include <span>
#include <string_view>

namespace canopy {

/// One process's observable state as Runtime::forEachProcessView hands it out: like ProcessInfo,
/// but nothing is allocated per process — the texts, the metadata and the link/monitor lists point
/// into the runtime or into the walk's scratch buffers and are valid only during the callback.
struct ProcessView {
    std::uint64_t pid = 0;
    /// The process that spawned it (its supervisor for supervised children); 0 for none.
    std::uint64_t parent = 0;
    ProcessStatus status = ProcessStatus::Waiting;
    bool trapExit = false;
    std::int64_t mailboxLength = 0;
    std::uint64_t messagesHandled = 0;
    std::uint64_t memoryBytes = 0;
    std::string_view registeredName;
    std::string_view initialCall;
    /// Supervision metadata; nullptr for plain processes. Supervisors' restart times: meta->restartTimes().
    const ChildMeta* meta = nullptr;
    /// meta->restartsInWindow, read once (0 without meta).
    int restartsInWindow = 0;
    std::span<const std::uint64_t> links;
    std::span<const std::uint64_t> monitors; ///< processes this one monitors
};

} // namespace canopy
