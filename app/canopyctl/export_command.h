#pragma once

namespace CLI {
class App;
}

namespace canopy::app {

/// Adds the `export` subcommand to canopyctl:
/// `canopyctl export --format ascii|dot|pdf|svg|png|mermaid [--at T] [--annotate] [--ascii]
/// [--width N] [--clusters] [--layout L] [--no-herds] [--page P] [--landscape] [--dpi N] SOURCE -o FILE`.
/// SOURCE is `host:port`, a session file (introspection::loadSnapshot) or a JSON snapshot (*.json).
/// On bad arguments, an unreadable source or an unwritable output it throws CLI::RuntimeError whose
/// message is one line starting `export: ` (exit code 2 = bad arguments, 1 = failure); nothing is printed.
void addExportCommand(CLI::App& app);

} // namespace canopy::app
