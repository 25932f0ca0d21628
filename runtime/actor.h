#pragma once
#include "runtime/message.h"
#include <string>

namespace canopy {

class Context;

/// Process code. A process runs its actor's handlers one message at a time (run to completion);
/// an exception escaping a handler becomes the process's exit reason (with the exception's text).
class Actor {
public:
    virtual ~Actor() = default;
    /// Runs in the new process before it handles any message.
    virtual void onStart(Context& ctx) {}
    /// Handles one message (user messages, and ExitMessage / DownMessage when applicable).
    virtual void onMessage(Context& ctx, Message& msg) = 0;
    /// The "initial call" observers show for this process.
    virtual std::string initialCall() const { return "canopy:actor"; }
    /// Extra bytes this actor owns beyond sizeof (for memory estimates).
    virtual std::size_t memoryEstimate() const { return 0; }
};

} // namespace canopy
