#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace canopy::introspection {

/// How a pid prints: `<0.N.0>` (as the runtime and OTP print local pids). The default `pid_text` of
/// a record: encoders omit it when it equals this, decoders fill it back in.
std::string pidText(std::uint64_t pid);

/// Sets `out` to pidText(pid) in place (no temporary string: a keyframe fills 100k of them).
void assignPidText(std::string& out, std::uint64_t pid);

/// True when `text` is exactly pidText(pid) (checked without allocating).
bool isPlainPidText(std::uint64_t pid, std::string_view text);

} // namespace canopy::introspection
