#pragma once
#include "app/canopyctl/global_options.h"
#include <CLI/CLI.hpp>

/// canopyctl's subcommands. Each adds itself to `app`; its callback prints results (text, or JSON
/// with --json) and stores the process exit code in `exitCode` (errors: one line on stderr, 1).
namespace canopy::app {

/// `record TARGET -o FILE [--duration S] [--sample-hz HZ] [--encoding json|cbor]`.
void addRecordCommand(CLI::App& app, const GlobalOptions& global, int& exitCode);
/// `tree TARGET [--at T]`.
void addTreeCommand(CLI::App& app, const GlobalOptions& global, int& exitCode);
/// `top TARGET [--at T] [-n N] [--by mailbox|restarts|messages]`.
void addTopCommand(CLI::App& app, const GlobalOptions& global, int& exitCode);
/// `info FILE`.
void addInfoCommand(CLI::App& app, const GlobalOptions& global, int& exitCode);
/// `diff A[@T] B[@T]`.
void addDiffCommand(CLI::App& app, const GlobalOptions& global, int& exitCode);

} // namespace canopy::app
