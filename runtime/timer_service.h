#pragma once
#include "runtime/message.h"
#include "runtime/pid.h"
#include "runtime/timer_ref.h"
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

namespace canopy {

class RuntimeCore;

/// Pending send-after timers ordered by deadline (runtime internal). In threaded mode a timer thread
/// fires them; in manual mode RuntimeCore::advanceClock fires them.
class TimerService {
public:
    explicit TimerService(RuntimeCore& core) : m_core(core) {}
    ~TimerService();
    /// Schedules msg for `to` at deadlineNs.
    TimerRef add(std::int64_t deadlineNs, Pid to, MessageNode* msg);
    /// Cancels; false if unknown (fired or cancelled already).
    bool cancel(TimerRef ref);
    /// Earliest deadline, if any.
    std::optional<std::int64_t> nextDeadline() const;
    /// Fires every timer due at nowNs (delivers the messages); returns how many fired.
    std::size_t fireDue(std::int64_t nowNs);
    /// Fires only the earliest timer if due at nowNs.
    bool fireOne(std::int64_t nowNs);
    /// Starts the timer thread (threaded mode).
    void startThread();
    /// Stops the timer thread and drops pending timers.
    void stop();
    std::size_t pending() const;

private:
    struct Entry {
        Pid to;
        MessageNode* msg;
    };
    void threadLoop();

    RuntimeCore& m_core;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<std::pair<std::int64_t, std::uint64_t>, Entry> m_byDeadline;
    std::unordered_map<std::uint64_t, std::int64_t> m_deadlineOf;
    std::uint64_t m_nextId = 1;
    std::thread m_thread;
    bool m_stop = false;
};

} // namespace canopy
