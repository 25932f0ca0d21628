#pragma once
#include <cstdint>

namespace canopy {

/// A timer signal telling a process that its wait deadline `deadlineNs` may have passed (runtime
/// internal, SignalWaitTick). A process has at most one such tick armed; a call or receive whose
/// deadline is later than the armed tick arms nothing and re-arms when the tick arrives, so a
/// reply that beats its timeout costs no timer operation at all.
struct WaitTick {
    std::int64_t deadlineNs = 0;
};

} // namespace canopy
