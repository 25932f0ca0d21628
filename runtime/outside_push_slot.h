#pragma once

namespace canopy {

/// This thread's outside push slot: OutsidePushSlotUnclaimed until its first push, then a slot in
/// 1..Mailbox::OwnedSlots that no other thread holds, or 0 (every slot taken: the shared counter).
extern constinit thread_local unsigned tlsOutsidePushSlot;
/// Marks a thread that has not yet asked for an outside push slot.
inline constexpr unsigned OutsidePushSlotUnclaimed = ~0u;

/// Claims this thread's outside push slot (highest free first; released when the thread ends).
unsigned claimOutsidePushSlot() noexcept;

/// The mailbox push-counter slot this thread owns exclusively among all threads that are not a
/// runtime's own workers (a plain thread, or a worker pushing into another runtime), or 0. A push
/// may use it only into a mailbox whose runtime's workers own fewer slots (RuntimeCore::workerPushSlots).
inline unsigned outsidePushSlot() noexcept {
    const unsigned s = tlsOutsidePushSlot;
    return s != OutsidePushSlotUnclaimed ? s : claimOutsidePushSlot();
}

} // namespace canopy
