#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <chrono>

namespace canopy {

/// A one-shot slot a plain thread waits on for a result produced by a process (runtime internal).
template <class T> class CallWaiter {
public:
    void set(T value) {
        {
            std::lock_guard g(m_mutex);
            m_value = std::move(value);
        }
        m_cv.notify_all();
    }
    bool ready() const {
        std::lock_guard g(m_mutex);
        return m_value.has_value();
    }
    /// Waits up to ms; true when set.
    bool waitFor(std::int64_t ms) {
        std::unique_lock lk(m_mutex);
        return m_cv.wait_for(lk, std::chrono::milliseconds(ms), [&] { return m_value.has_value(); });
    }
    T take() {
        std::lock_guard g(m_mutex);
        return std::move(*m_value);
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::optional<T> m_value;
};

} // namespace canopy
