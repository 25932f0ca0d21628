#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace canopy {

/// Why a process ended, in OTP's vocabulary: normal, shutdown, {shutdown,Detail}, kill (as a signal),
/// killed (after an untrappable kill), noproc, or any other term (kept as its printed text).
class ExitReason {
public:
    /// The shape of the reason; Other carries its text in detail().
    enum class Kind : std::uint8_t { Normal, Shutdown, ShutdownWith, Kill, Killed, Noproc, Other };

    ExitReason() = default;
    /// `normal`: a clean stop; ignored by non-trapping linked processes.
    static ExitReason normal() { return ExitReason(Kind::Normal, {}); }
    /// `shutdown`: the supervisor's stop request; "normal" for restart decisions only.
    static ExitReason shutdown() { return ExitReason(Kind::Shutdown, {}); }
    /// `{shutdown, Detail}`.
    static ExitReason shutdown(std::string detail) { return ExitReason(Kind::ShutdownWith, std::move(detail)); }
    /// `kill`: as a signal sent by exit(P, kill) it is untrappable and becomes `killed`.
    static ExitReason kill() { return ExitReason(Kind::Kill, {}); }
    /// `killed`: the reason of a process that received an untrappable kill.
    static ExitReason killed() { return ExitReason(Kind::Killed, {}); }
    /// `noproc`: the target did not exist.
    static ExitReason noproc() { return ExitReason(Kind::Noproc, {}); }
    /// Any other reason (an error); the text is what observers and traces print.
    static ExitReason error(std::string text) { return ExitReason(Kind::Other, std::move(text)); }
    /// Parses the printed form back (`normal`, `shutdown`, `{shutdown,x}`, `kill`, `killed`, `noproc`, other).
    static ExitReason parse(std::string_view text);

    Kind kind() const { return m_kind; }
    const std::string& detail() const { return m_detail; }
    /// True for `normal` only (what a non-trapping link ignores).
    bool isNormal() const { return m_kind == Kind::Normal; }
    /// True for normal, shutdown and {shutdown,_}: the exits a transient child is not restarted for.
    bool isCleanExit() const {
        return m_kind == Kind::Normal || m_kind == Kind::Shutdown || m_kind == Kind::ShutdownWith;
    }
    /// The printed form: `normal`, `shutdown`, `{shutdown,x}`, `killed`, or the error text.
    std::string toString() const;

    friend bool operator==(const ExitReason& a, const ExitReason& b) {
        return a.m_kind == b.m_kind && a.m_detail == b.m_detail;
    }

private:
    ExitReason(Kind k, std::string d) : m_kind(k), m_detail(std::move(d)) {}
    Kind m_kind = Kind::Normal;
    std::string m_detail;
};

} // namespace canopy
