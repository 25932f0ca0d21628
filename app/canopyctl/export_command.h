#pragma once

namespace CLI {
class App;
}

namespace canopy::app {

/// Adds the `export` subcommand to canopyctl:
/// `canopyctl export --format ascii|dot|pdf|svg|png|mermaid [--at T] [--annotate] [--ascii]
/// [--width N] [--clusters] [--no-herds] [--page P] [--landscape] [--dpi N] SOURCE -o FILE`.
/// On bad arguments, an unreadable source or an unwritable output it prints one
/// `canopyctl export: ...` line to stderr and makes CLI11 exit non-zero (CLI::RuntimeError).
void addExportCommand(CLI::App& app);

} // namespace canopy::app
