#include "runtime/exit_reason.h"

namespace canopy {

std::string ExitReason::toString() const {
    switch (m_kind) {
    case Kind::Normal: return "normal";
    case Kind::Shutdown: return "shutdown";
    case Kind::ShutdownWith: return "{shutdown," + m_detail + "}";
    case Kind::Kill: return "kill";
    case Kind::Killed: return "killed";
    case Kind::Noproc: return "noproc";
    case Kind::Other: return m_detail;
    }
    return m_detail;
}

ExitReason ExitReason::parse(std::string_view t) {
    if (t == "normal") return normal();
    if (t == "shutdown") return shutdown();
    if (t == "kill") return kill();
    if (t == "killed") return killed();
    if (t == "noproc") return noproc();
    constexpr std::string_view prefix = "{shutdown,";
    if (t.size() > prefix.size() + 1 && t.substr(0, prefix.size()) == prefix && t.back() == '}')
        return shutdown(std::string(t.substr(prefix.size(), t.size() - prefix.size() - 1)));
    return error(std::string(t));
}

} // namespace canopy
