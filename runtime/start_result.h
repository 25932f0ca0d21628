#pragma once
#include "runtime/exit_reason.h"
#include "runtime/pid.h"

namespace canopy {

/// What start / start_link returns: `{ok,Pid}`, `ignore` or `{error,Reason}`.
struct StartResult {
    enum class Kind : std::uint8_t { Ok, Ignore, Error };
    Kind kind = Kind::Error;
    Pid pid;
    ExitReason error;

    static StartResult ok(Pid p) { return {Kind::Ok, std::move(p), {}}; }
    static StartResult ignore() { return {Kind::Ignore, {}, {}}; }
    static StartResult failed(ExitReason r) { return {Kind::Error, {}, std::move(r)}; }
    bool isOk() const { return kind == Kind::Ok; }
};

} // namespace canopy
