#pragma once
#include "runtime/message.h"
#include <functional>

namespace canopy {

class Context;

/// A selective receive a process is waiting in (runtime internal).
struct PendingReceive {
    std::function<bool(const Message&)> match;
    std::function<void(Context&, Message)> then;
};

} // namespace canopy
