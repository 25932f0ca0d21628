#pragma once
#include "runtime/actor.h"
#include "runtime/child_meta.h"
#include "runtime/exit_reason.h"
#include "runtime/exit_reason_slot.h"
#include "runtime/link_set.h"
#include "runtime/mailbox.h"
#include "runtime/pid.h"
#include "runtime/process_extras.h"
#include "runtime/process_extras_ptr.h"
#include "runtime/process_pool.h"
#include "runtime/process_status.h"
#include "runtime/spin_lock.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace canopy {

class RuntimeCore;

/// A process's control block (runtime internal). The anchor (refcount + id) comes first so a Pid can
/// point at it. Everything not needed by an idle process lives in `extras`, allocated on first use.
class Process : public ProcessAnchor {
public:
    Process(RuntimeCore& core, std::uint64_t pid, std::unique_ptr<Actor> a)
        : core(&core), actor(std::move(a)) {
        id = pid;
    }

    static void* operator new(std::size_t size, std::align_val_t) { return ProcessPool::allocate(size); }
    static void operator delete(void* p, std::size_t size, std::align_val_t) noexcept {
        ProcessPool::deallocate(p, size);
    }

    /// Adds a reference (the scheduler's while queued, the table's while alive).
    void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
    /// Drops a reference; frees the block at zero.
    void release() noexcept {
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroyProcessAnchor(this);
    }
    /// The extras, created on first use (any thread).
    ProcessExtras& ext() { return extras.getOrCreate(); }

    /// Asks the process to end with reason after the current handler (first request wins).
    void requestExit(ExitReason r) {
        if (exitRequested) return;
        exitRequested = true;
        if (!r.isNormal()) exitReason.set(std::move(r)); // normal: nothing stored
    }
    /// The reason it ended with (normal if unknown).
    const ExitReason& finalReason() const {
        static const ExitReason normal = ExitReason::normal();
        return exitReason ? *exitReason.get() : normal;
    }

    // First cache line: what every turn touches.
    RuntimeCore* core;
    /// 1 while queued or running (the scheduling token), 0 when idle.
    std::atomic<std::uint8_t> sched{0};
    std::atomic<ProcessStatus> status{ProcessStatus::Waiting};
    /// Set by an untrappable exit(P, kill): the process dies `killed` before its next message.
    std::atomic<bool> killFlag{false};
    std::atomic<bool> trapExit{false};
    /// True once the process has exited (its mailbox is then only drained). Set under `lock`
    /// together with taking its links and monitors, so a monitor added under the lock either sees
    /// it or is seen by the exit.
    std::atomic<bool> dead{false};
    /// onStart still has to run (first turn).
    bool needsStart = false;
    /// ctx.exit() was called in the current handler (reason in exitReason).
    bool exitRequested = false;
    /// Guards links, extras->monitors/monitoredBy and the name (against observer threads, and
    /// monitoredBy against the watchers that add and remove their monitors directly).
    mutable SpinLock lock;
    std::uint64_t parent = 0;
    std::unique_ptr<Actor> actor;
    ProcessExtrasPtr extras;
    std::atomic<const ChildMeta*> meta{nullptr};

    Mailbox mailbox;

    /// Interned "initial call" text (never freed; a handful of distinct values per program).
    const std::string* initialCall = nullptr;
    LinkSet links;
    /// Exit reason requested or final (allocated only when the process ends).
    ExitReasonSlot exitReason;
    /// Owners of the published metadata: the last is current; replaced ones stay until the control
    /// block is freed (an observer may still be reading them). Allocated only for supervised processes.
    std::unique_ptr<std::vector<std::shared_ptr<const ChildMeta>>> metas;
};

} // namespace canopy
