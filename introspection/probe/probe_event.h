#pragma once
#include "runtime/exit_reason.h"
#include "runtime/runtime_event.h"
#include <cstdint>
#include <optional>
#include <string>

namespace canopy::introspection {

/// An owned copy of a RuntimeEvent (the runtime's views die with the sink call).
struct ProbeEvent {
    RuntimeEventType type{};
    std::int64_t timeNs = 0;
    std::uint64_t pid = 0;
    std::uint64_t peer = 0;
    std::string text;
    std::optional<ExitReason> reason;
    std::string strategy;
    int restartsInWindow = 0;
    int maxRestarts = 0;
    int maxSeconds = 0;

    /// Copies the event's views.
    static ProbeEvent from(const RuntimeEvent& e) {
        ProbeEvent p;
        p.type = e.type;
        p.timeNs = e.timeNs;
        p.pid = e.pid;
        p.peer = e.peer;
        p.text.assign(e.text.data(), e.text.size());
        if (e.reason) p.reason = *e.reason;
        p.strategy.assign(e.strategy.data(), e.strategy.size());
        p.restartsInWindow = e.restartsInWindow;
        p.maxRestarts = e.maxRestarts;
        p.maxSeconds = e.maxSeconds;
        return p;
    }
};

} // namespace canopy::introspection
