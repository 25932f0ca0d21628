#pragma once
#include "runtime/exit_reason.h"
#include <cstdint>
#include <utility>

namespace canopy {

/// A process's exit reason in one pointer (runtime internal). Reasons without text (normal,
/// shutdown, kill, killed, noproc) point at shared constants, so a process killed or shut down
/// allocates nothing for its reason; others are owned copies (the low bit marks a constant).
class ExitReasonSlot {
public:
    ExitReasonSlot() = default;
    ExitReasonSlot(const ExitReasonSlot&) = delete;
    ExitReasonSlot& operator=(const ExitReasonSlot&) = delete;
    ~ExitReasonSlot() { reset(); }

    void set(ExitReason r) {
        reset();
        if (const ExitReason* c = constant(r.kind())) m_bits = reinterpret_cast<std::uintptr_t>(c) | 1;
        else m_bits = reinterpret_cast<std::uintptr_t>(new ExitReason(std::move(r)));
    }
    void reset() {
        if (m_bits && !(m_bits & 1)) delete reinterpret_cast<ExitReason*>(m_bits);
        m_bits = 0;
    }
    /// The reason, or nullptr when none was set.
    const ExitReason* get() const { return reinterpret_cast<const ExitReason*>(m_bits & ~std::uintptr_t(1)); }
    explicit operator bool() const { return m_bits != 0; }

private:
    /// The shared constant of a reason kind without text, or nullptr.
    static const ExitReason* constant(ExitReason::Kind k) {
        static const ExitReason normal = ExitReason::normal(), shutdown = ExitReason::shutdown(),
                                kill = ExitReason::kill(), killed = ExitReason::killed(),
                                noproc = ExitReason::noproc();
        switch (k) {
        case ExitReason::Kind::Normal: return &normal;
        case ExitReason::Kind::Shutdown: return &shutdown;
        case ExitReason::Kind::Kill: return &kill;
        case ExitReason::Kind::Killed: return &killed;
        case ExitReason::Kind::Noproc: return &noproc;
        case ExitReason::Kind::ShutdownWith:
        case ExitReason::Kind::Other: break;
        }
        return nullptr;
    }
    std::uintptr_t m_bits = 0;
};

} // namespace canopy
