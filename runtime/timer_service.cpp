#include "runtime/timer_service.h"
#include "runtime/runtime_core.h"
#include <chrono>
#include <vector>

namespace canopy {

TimerService::~TimerService() { stop(); }

TimerRef TimerService::add(std::int64_t deadlineNs, Pid to, MessageNode* msg) {
    std::uint64_t id;
    bool earliest;
    {
        std::lock_guard g(m_mutex);
        id = m_nextId++;
        m_byDeadline.emplace(std::make_pair(deadlineNs, id), Entry{std::move(to), msg});
        m_deadlineOf.emplace(id, deadlineNs);
        earliest = m_byDeadline.begin()->first.second == id;
    }
    if (earliest) m_cv.notify_one();
    return TimerRef{id};
}

bool TimerService::cancel(TimerRef ref) {
    MessageNode* msg = nullptr;
    {
        std::lock_guard g(m_mutex);
        auto it = m_deadlineOf.find(ref.value);
        if (it == m_deadlineOf.end()) return false;
        auto e = m_byDeadline.find(std::make_pair(it->second, ref.value));
        if (e != m_byDeadline.end()) {
            msg = e->second.msg;
            m_byDeadline.erase(e);
        }
        m_deadlineOf.erase(it);
    }
    delete msg;
    return true;
}

std::optional<std::int64_t> TimerService::nextDeadline() const {
    std::lock_guard g(m_mutex);
    if (m_byDeadline.empty()) return std::nullopt;
    return m_byDeadline.begin()->first.first;
}

std::size_t TimerService::pending() const {
    std::lock_guard g(m_mutex);
    return m_byDeadline.size();
}

bool TimerService::fireOne(std::int64_t nowNs) {
    Entry e;
    {
        std::lock_guard g(m_mutex);
        if (m_byDeadline.empty() || m_byDeadline.begin()->first.first > nowNs) return false;
        auto it = m_byDeadline.begin();
        e = std::move(it->second);
        m_deadlineOf.erase(it->first.second);
        m_byDeadline.erase(it);
    }
    if (e.to.valid())
        m_core.deliver(e.to.process(), e.msg);
    else
        delete e.msg;
    return true;
}

std::size_t TimerService::fireDue(std::int64_t nowNs) {
    std::size_t n = 0;
    while (fireOne(nowNs)) ++n;
    return n;
}

void TimerService::startThread() {
    m_thread = std::thread([this] { threadLoop(); });
}

void TimerService::threadLoop() {
    std::unique_lock lk(m_mutex);
    while (!m_stop) {
        if (m_byDeadline.empty()) {
            m_cv.wait(lk);
            continue;
        }
        std::int64_t now = m_core.nowNs();
        std::int64_t due = m_byDeadline.begin()->first.first;
        if (due > now) {
            m_cv.wait_for(lk, std::chrono::nanoseconds(due - now));
            continue;
        }
        lk.unlock();
        fireDue(now);
        lk.lock();
    }
}

void TimerService::stop() {
    {
        std::lock_guard g(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    std::vector<MessageNode*> drop;
    {
        std::lock_guard g(m_mutex);
        for (auto& [k, e] : m_byDeadline) drop.push_back(e.msg);
        m_byDeadline.clear();
        m_deadlineOf.clear();
    }
    for (MessageNode* m : drop) delete m;
}

} // namespace canopy
