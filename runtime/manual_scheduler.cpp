#include "runtime/manual_scheduler.h"
#include "runtime/process.h"
#include "runtime/runtime_core.h"

namespace canopy {

void ManualScheduler::enqueue(Process* p) {
    std::lock_guard g(m_mutex);
    m_queue.push_back(p);
}

std::size_t ManualScheduler::runUntilIdle() {
    std::size_t turns = 0;
    {
        std::lock_guard g(m_mutex);
        if (m_running) return 0; // re-entered from process code: the outer loop keeps going
        m_running = true;
    }
    for (;;) {
        Process* p;
        {
            std::lock_guard g(m_mutex);
            if (m_queue.empty()) {
                m_running = false;
                return turns;
            }
            p = m_queue.front();
            m_queue.pop_front();
        }
        ++turns;
        m_core.runTurn(p);
    }
}

std::int64_t ManualScheduler::activeCount() const {
    std::lock_guard g(m_mutex);
    return std::int64_t(m_queue.size());
}

Process* ManualScheduler::takeAny() {
    std::lock_guard g(m_mutex);
    if (m_queue.empty()) return nullptr;
    Process* p = m_queue.front();
    m_queue.pop_front();
    return p;
}

} // namespace canopy
