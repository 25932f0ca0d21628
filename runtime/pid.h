#pragma once
#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace canopy {

class Process;

/// The part of a process a Pid keeps alive: a reference count and the numeric id.
struct ProcessAnchor {
    std::atomic<std::uint32_t> refs{1};
    /// The process's trace word (runtime internal; it fills what would be padding): TraceFlags bits
    /// in the low byte, the tracer's TracerTable index above. 0 = not traced.
    std::atomic<std::uint32_t> trace{0};
    std::uint64_t id = 0;
};

/// Frees the process behind an anchor whose count reached zero (runtime internal).
void destroyProcessAnchor(ProcessAnchor* anchor) noexcept;

/// A process identifier. Unique for the runtime's lifetime, printable as `<0.ID.0>`.
/// Holding a Pid keeps only the process's control block alive; sending to a dead pid is a no-op.
class Pid {
public:
    Pid() = default;
    /// Adopts (adopt = true) or shares a reference to an anchor (runtime internal).
    explicit Pid(ProcessAnchor* a, bool adopt = false) : m_anchor(a) {
        if (m_anchor && !adopt)
            m_anchor->refs.fetch_add(1, std::memory_order_relaxed);
    }
    Pid(const Pid& o) : Pid(o.m_anchor) {}
    Pid(Pid&& o) noexcept : m_anchor(std::exchange(o.m_anchor, nullptr)) {}
    Pid& operator=(const Pid& o) {
        Pid tmp(o);
        std::swap(m_anchor, tmp.m_anchor);
        return *this;
    }
    Pid& operator=(Pid&& o) noexcept {
        std::swap(m_anchor, o.m_anchor);
        return *this;
    }
    ~Pid() {
        if (m_anchor && m_anchor->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            destroyProcessAnchor(m_anchor);
    }

    /// The numeric id (0 for an empty Pid).
    std::uint64_t id() const { return m_anchor ? m_anchor->id : 0; }
    /// False for a default-constructed Pid (OTP's `undefined`).
    bool valid() const { return m_anchor != nullptr; }
    explicit operator bool() const { return valid(); }
    /// `<0.ID.0>`, or `undefined` for an empty Pid.
    std::string toString() const;
    /// Formats a numeric id the way toString() does.
    static std::string format(std::uint64_t id);

    /// Runtime internal: the process behind this pid.
    Process* process() const { return reinterpret_cast<Process*>(m_anchor); }
    ProcessAnchor* anchor() const { return m_anchor; }

    friend bool operator==(const Pid& a, const Pid& b) { return a.id() == b.id(); }
    friend auto operator<=>(const Pid& a, const Pid& b) { return a.id() <=> b.id(); }

private:
    ProcessAnchor* m_anchor = nullptr;
};

} // namespace canopy

template <> struct std::hash<canopy::Pid> {
    std::size_t operator()(const canopy::Pid& p) const noexcept { return std::hash<std::uint64_t>{}(p.id()); }
};
