#pragma once
#include <cstdint>
#include <string>

namespace canopy {

/// How a supervisor stops a child: `brutal_kill` (exit(Pid,kill)), a timeout in ms (exit(Pid,shutdown),
/// then kill after the timeout) or `infinity` (exit(Pid,shutdown), wait forever).
/// OTP's default: 5000 ms for a worker, infinity for a supervisor.
class Shutdown {
public:
    enum class Kind : unsigned char { BrutalKill, Timeout, Infinity };
    /// `brutal_kill`: killed at once, untrappably.
    static Shutdown brutalKill() { return Shutdown(Kind::BrutalKill, 0); }
    /// `infinity`: asked with `shutdown` and waited for forever (the default for supervisors).
    static Shutdown infinity() { return Shutdown(Kind::Infinity, 0); }
    /// A timeout in ms (OTP requires >= 0; DynamicSupervisor requires > 0). Worker default: 5000.
    static Shutdown timeout(std::int64_t ms) { return Shutdown(Kind::Timeout, ms); }

    Kind kind() const { return m_kind; }
    std::int64_t ms() const { return m_ms; }
    /// `brutal_kill`, `infinity` or the milliseconds as text (as ChildMeta::shutdown publishes it).
    std::string toString() const {
        return m_kind == Kind::BrutalKill ? "brutal_kill"
             : m_kind == Kind::Infinity   ? "infinity"
                                          : std::to_string(m_ms);
    }
    friend bool operator==(const Shutdown& a, const Shutdown& b) { return a.m_kind == b.m_kind && a.m_ms == b.m_ms; }

private:
    Shutdown(Kind k, std::int64_t ms) : m_kind(k), m_ms(ms) {}
    Kind m_kind;
    std::int64_t m_ms;
};

} // namespace canopy
