#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace canopy::app {

/// A moment of a session as the command line writes it: `12.5s`, `1500ms`, `250us`, `10ns`, `2m`
/// (or `2min`), or a plain number of seconds -> nanoseconds; nullopt if it is not one (negative,
/// not finite, unknown unit). Every subcommand's --at and a diff target's @T read times this way.
std::optional<std::int64_t> parseSessionTime(const std::string& text);

/// The error canopyctl prints for a time it cannot read (`what` names the option, e.g. "--at").
std::string sessionTimeError(const std::string& what, const std::string& text);

} // namespace canopy::app
