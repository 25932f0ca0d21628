#include "views/model/background_release.h"
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <sys/syscall.h>

namespace canopy::views {

namespace {

/// Set once the releasing thread has been stopped (static destruction at exit): later drops
/// release on the caller's thread.
std::atomic<bool> g_closed{false};

class ReleaseThread {
public:
    ReleaseThread() : m_thread([this] { run(); }) {}
    ~ReleaseThread() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
        g_closed = true;
    }

    void push(std::shared_ptr<const void> object) {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(object));
            ++m_pushed;
        }
        m_wake.notify_one();
    }

    void flush() {
        std::unique_lock lock(m_mutex);
        const std::uint64_t target = m_pushed;
        m_done.wait(lock, [&] { return m_released >= target; });
    }

private:
    void run() {
        // Below the app's threads: freeing is never urgent (Linux: the nice value is per thread).
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) return; // stopping, nothing left
            std::deque<std::shared_ptr<const void>> batch;
            batch.swap(m_queue);
            lock.unlock();
            const std::size_t n = batch.size();
            batch.clear(); // the destructors run here, outside the lock
            lock.lock();
            m_released += n;
            m_done.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::deque<std::shared_ptr<const void>> m_queue;
    std::uint64_t m_pushed = 0;
    std::uint64_t m_released = 0;
    bool m_stop = false;
    std::thread m_thread; // last: started once the members above exist
};

ReleaseThread& releaseThread() {
    static ReleaseThread thread;
    return thread;
}

} // namespace

void BackgroundRelease::drop(std::shared_ptr<const void> object) {
    if (!object || g_closed.load()) return; // closed: the reference goes here
    releaseThread().push(std::move(object));
}

void BackgroundRelease::flush() {
    if (!g_closed.load()) releaseThread().flush();
}

} // namespace canopy::views
