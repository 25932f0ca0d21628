#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace canopy::app {

/// A moment of a session as the command line writes it: `12.5s`, `1500ms`, `250us`, `10ns`, `2m`
/// (or `2min`), or a plain number of seconds -> nanoseconds; nullopt if it is not one (negative,
/// not finite, unknown unit). Every subcommand's --at and a diff target's @T read times this way.
std::optional<std::int64_t> parseSessionTime(const std::string& text);

/// The error canopyctl prints for a time it cannot read (`what` names the option, e.g. "--at").
std::string sessionTimeError(const std::string& what, const std::string& text);

/// Adds `--at` to a subcommand: a moment of a session file, stored in `*atSeconds` in seconds (left
/// as it is when the option is not given); a time it cannot read is a usage error naming it.
void addSessionTimeOption(CLI::App* cmd, std::shared_ptr<double> atSeconds);

} // namespace canopy::app
