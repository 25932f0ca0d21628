#include "app/canopyctl/export_command.h"
#include "app/canopyctl/session_time_arg.h"
#include "app/canopyctl/token_input.h"

#include "views/export/diagram_exporter.h"
#include "views/export/export_format.h"
#include "views/export/graphviz_renderer.h"
#include "views/export/snapshot_json.h"
#include "introspection/snapshot_loader.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace canopy::app {

namespace {

/// Exit codes: 2 = bad arguments, 1 = the export itself failed (source, rendering, output).
constexpr int kBadArguments = 2;
constexpr int kFailed = 1;

struct ExportArgs {
    std::string format;
    std::string at;
    bool annotate = false;
    bool plainAscii = false;
    int width = 100;
    bool clusters = false;
    bool noHerds = false;
    std::string page;
    bool landscape = false;
    int dpi = 96;
    std::string layout = "auto";
    std::string token;
    std::string source;
    std::string output;
};

/// Ends the command with one error line: canopyctl's main prints the message of the CLI11 error
/// it catches (`canopyctl: error: export: ...`) and exits non-zero.
[[noreturn]] void fail(int code, const std::string& message) {
    throw CLI::RuntimeError("export: " + message, code);
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// A global option of canopyctl (e.g. --token), if the parent app defines it and it was given.
std::string parentOption(const CLI::App* cmd, const char* name) {
    for (const CLI::App* app = cmd->get_parent(); app; app = app->get_parent()) {
        const CLI::Option* opt = app->get_option_no_throw(name);
        if (opt && opt->count() > 0) return opt->as<std::string>();
    }
    return {};
}

introspection::TreeSnapshot loadSource(const CLI::App* cmd, const ExportArgs& args, std::optional<std::int64_t> at) {
    if (endsWith(args.source, ".json")) {
        if (at) fail(kBadArguments, "--at needs a session file or a live source; '" + args.source +
                                        "' is a single snapshot");
        auto parsed = exporting::SnapshotJson::fromFile(args.source);
        if (!parsed.ok()) fail(kFailed, parsed.error);
        return std::move(parsed.snapshot);
    }
    introspection::LoadOptions options;
    if (at) options.atSeconds = static_cast<double>(*at) / 1e9;
    options.token = args.token.empty() ? parentOption(cmd, "--token") : args.token;
    options.tokenFile = parentOption(cmd, "--token-file");
    const std::string tokenFd = parentOption(cmd, "--token-fd");
    if (!parentOption(cmd, "--token-stdin").empty() || !tokenFd.empty()) {
        auto token = TokenInput::read(tokenFd.empty(), tokenFd.empty() ? -1 : std::atoi(tokenFd.c_str()));
        if (!token.ok()) fail(kFailed, token.error());
        options.token = *token;
    }
    if (std::string timeout = parentOption(cmd, "--timeout"); !timeout.empty()) {
        try {
            options.timeoutMs = std::stoi(timeout);
        } catch (...) {
        }
    }
    std::vector<std::string> warnings;
    options.warnings = &warnings;
    auto loaded = introspection::loadSnapshot(args.source, options);
    for (const auto& w : warnings) {
        std::string_view text = w;
        if (text.rfind("warning: ", 0) == 0) text.remove_prefix(9); // one "warning:", not two
        std::cerr << "canopyctl: warning: " << text << "\n";
    }
    if (!loaded.ok()) fail(kFailed, loaded.error());
    return std::move(loaded.value());
}

void writeOutput(const ExportArgs& args, exporting::ExportFormat format, const std::string& bytes) {
    if (args.output == "-") {
        if (!exporting::isTextFormat(format))
            fail(kBadArguments, std::string("--format ") + std::string(exporting::toString(format)) +
                                    " is binary; give -o FILE instead of -o -");
        std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        std::cout.flush();
        if (!std::cout) fail(kFailed, "cannot write to stdout");
        return;
    }
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    if (!out) fail(kFailed, "cannot write '" + args.output + "': " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) fail(kFailed, "cannot write '" + args.output + "': " + std::strerror(errno));
}

void run(const CLI::App* cmd, const ExportArgs& args) {
    const auto format = exporting::parseExportFormat(args.format);
    if (!format)
        fail(kBadArguments, "unknown format '" + args.format + "' (use " + exporting::exportFormatNames() + ")");
    if (args.width != 0 && args.width < 20) fail(kBadArguments, "--width must be at least 20 (or 0 for unlimited)");
    if (args.layout != "auto" && args.layout != "dot" && args.layout != "boxes")
        fail(kBadArguments, "unknown layout '" + args.layout + "' (use auto, dot or boxes)");
    if (args.dpi < 24 || args.dpi > 1200) fail(kBadArguments, "--dpi must be between 24 and 1200");
    if (!args.page.empty()) {
        exporting::GraphvizRenderer::Page page;
        if (!exporting::GraphvizRenderer::parsePage(args.page, page))
            fail(kBadArguments, "unknown page size '" + args.page +
                                    "' (use a4, a3, a2, a1, a0, poster, letter, legal, tabloid, none or WxH in inches)");
    }
    std::optional<std::int64_t> at;
    if (!args.at.empty()) {
        at = parseSessionTime(args.at);
        if (!at) fail(kBadArguments, sessionTimeError("--at", args.at));
    }
    if (args.output.empty()) fail(kBadArguments, "no output: give -o FILE (or -o - for stdout)");

    const introspection::TreeSnapshot snapshot = loadSource(cmd, args, at);

    exporting::ExportOptions options;
    options.format = *format;
    options.annotate = args.annotate;
    options.plainAscii = args.plainAscii;
    options.width = args.width;
    options.herds = !args.noHerds;
    options.clusters = args.clusters;
    options.page = args.page;
    options.landscape = args.landscape;
    options.dpi = args.dpi;
    options.layout = args.layout;
    const exporting::ExportResult result = exporting::DiagramExporter::exportSnapshot(snapshot, options);
    if (!result.ok()) fail(kFailed, result.error);
    writeOutput(args, *format, result.data);
}

} // namespace

void addExportCommand(CLI::App& app) {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export", "Export the supervision tree as a diagram (ASCII, DOT, PDF, SVG, PNG, Mermaid)");
    cmd->add_option("-f,--format", args->format, "ascii|dot|pdf|svg|png|mermaid")->required();
    cmd->add_option("--at", args->at, "Moment of a session to draw, e.g. 12.5s, 1500ms (default: the latest)");
    cmd->add_flag("--annotate", args->annotate, "Show restart counts, mailbox lengths, herd sums and exit reasons");
    cmd->add_flag("--ascii", args->plainAscii, "ASCII format: draw with +-| instead of Unicode box drawing");
    cmd->add_option("--width", args->width, "ASCII format: page width in columns; wider subtrees are stacked (0: unlimited)")
        ->capture_default_str();
    cmd->add_flag("--clusters", args->clusters, "DOT/PDF/SVG/PNG: draw a box round each supervisor's children");
    cmd->add_flag("--no-herds", args->noHerds, "Draw every dynamic child instead of stacking same-spec children");
    cmd->add_option("--page", args->page, "PDF/SVG/PNG page: a4 (PDF default), a3, a2, a1, a0/poster, letter, legal, tabloid, none, or WxH inches");
    cmd->add_flag("--landscape", args->landscape, "PDF/SVG/PNG: force a landscape page");
    cmd->add_option("--layout", args->layout, "PDF/SVG/PNG layout: dot, boxes (the ASCII layout; fast on big trees) or auto")
        ->capture_default_str();
    cmd->add_option("--dpi", args->dpi, "PNG resolution")->capture_default_str();
    if (!app.get_option_no_throw("--token"))
        cmd->add_option("--token", args->token, "Token for a live source (host:port)");
    cmd->add_option("SOURCE", args->source, "host:port, a session file, or a JSON snapshot (*.json)")->required();
    cmd->add_option("-o,--output", args->output, "Output file, or - for stdout (text formats)")->required();
    cmd->callback([cmd, args] { run(cmd, *args); });
}

} // namespace canopy::app
