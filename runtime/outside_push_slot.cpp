#include "runtime/outside_push_slot.h"
#include "runtime/mailbox.h"
#include <atomic>

namespace canopy {

constinit thread_local unsigned tlsOutsidePushSlot = OutsidePushSlotUnclaimed;

namespace {
/// Bit s set = outside slot s is held by a live thread.
std::atomic<unsigned> gOutsideSlotsTaken{0};

/// Gives the thread's slot back when the thread ends. A push from a later thread-exit destructor
/// falls back to the shared counter (the slot is cleared first).
struct OutsideSlotRelease {
    unsigned slot = 0;
    ~OutsideSlotRelease() {
        tlsOutsidePushSlot = 0;
        if (slot) gOutsideSlotsTaken.fetch_and(~(1u << slot), std::memory_order_release);
    }
};
thread_local OutsideSlotRelease tlsOutsideSlotRelease;
} // namespace

unsigned claimOutsidePushSlot() noexcept {
    tlsOutsidePushSlot = 0;
    for (unsigned s = Mailbox::OwnedSlots; s >= 1; --s) {
        const unsigned bit = 1u << s;
        // acq_rel: the previous holder's counter stores happen before this thread's.
        if (!(gOutsideSlotsTaken.fetch_or(bit, std::memory_order_acq_rel) & bit)) {
            tlsOutsideSlotRelease.slot = s;
            tlsOutsidePushSlot = s;
            return s;
        }
    }
    return 0;
}

} // namespace canopy
