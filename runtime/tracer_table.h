#pragma once
#include "runtime/pid.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace canopy {

class Process;

/// The tracers of one runtime, by a small index a traced process keeps in its trace word (runtime
/// internal). Entries are only added: a traced sender reads its tracer with one relaxed load, and
/// a tracer's control block stays alive for the runtime's lifetime (a dead tracer's events are
/// dropped). At most Capacity - 1 distinct tracers per runtime.
class TracerTable {
public:
    static constexpr std::uint32_t Capacity = 1u << 12;

    /// The index of `tracer` (added on first use); 0 when the table is full.
    std::uint32_t indexOf(const Pid& tracer);
    /// The tracer at a non-zero index returned by indexOf().
    Process* at(std::uint32_t index) const noexcept {
        return m_slots[index].load(std::memory_order_acquire);
    }

private:
    std::mutex m_mutex;
    std::vector<Pid> m_owned; ///< keeps the control blocks alive; m_owned[i - 1] is slot i
    std::unique_ptr<std::atomic<Process*>[]> m_slots = std::make_unique<std::atomic<Process*>[]>(Capacity);
};

} // namespace canopy
