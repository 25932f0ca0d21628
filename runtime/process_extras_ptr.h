#pragma once
#include <atomic>
#include <memory>

namespace canopy {

struct ProcessExtras;

/// Owns a process's extras (runtime internal). Created on first use by whichever thread needs them
/// first — the process itself, or another process adding a monitor to its table — with one
/// compare-exchange, so the owner reads the pointer without a lock.
class ProcessExtrasPtr {
public:
    ProcessExtrasPtr() = default;
    ProcessExtrasPtr(const ProcessExtrasPtr&) = delete;
    ProcessExtrasPtr& operator=(const ProcessExtrasPtr&) = delete;
    ~ProcessExtrasPtr() { delete m_p.load(std::memory_order_acquire); }

    ProcessExtras* get() const { return m_p.load(std::memory_order_acquire); }
    ProcessExtras* operator->() const { return get(); }
    explicit operator bool() const { return get() != nullptr; }
    /// The extras, created if there are none yet (any thread).
    ProcessExtras& getOrCreate() {
        if (ProcessExtras* e = get()) return *e;
        auto fresh = std::make_unique<ProcessExtras>();
        ProcessExtras* expected = nullptr;
        if (m_p.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire))
            return *fresh.release();
        return *expected;
    }
    /// Takes the extras out (the process is ending).
    std::unique_ptr<ProcessExtras> take() { return std::unique_ptr<ProcessExtras>(m_p.exchange(nullptr, std::memory_order_acq_rel)); }

private:
    std::atomic<ProcessExtras*> m_p{nullptr};
};

} // namespace canopy
