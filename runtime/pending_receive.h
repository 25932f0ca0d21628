#pragma once
#include "runtime/message.h"
#include "runtime/timer_ref.h"
#include <cstdint>
#include <functional>

namespace canopy {

class Context;

/// A selective receive a process is waiting in (runtime internal).
struct PendingReceive {
    std::function<bool(const Message&)> match;
    std::function<void(Context&, Message)> then;
    std::uint64_t id = 0;
    TimerRef timer;
};

} // namespace canopy
