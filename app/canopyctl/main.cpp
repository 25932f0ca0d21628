// canopyctl: the headless Canopy observer. Qt-free.
#include "introspection/beam_bridge.h"
#include "app/canopyctl/commands.h"
#include "app/canopyctl/global_options.h"
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>
#ifdef CANOPY_HAVE_EXPORT
#include "app/canopyctl/export_command.h"
#endif

namespace {

/// The value of `--name VALUE` or `--name=VALUE` in argv ("" when absent).
std::string optionValue(int argc, char** argv, const std::string& name) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == name && i + 1 < argc) return argv[i + 1];
        if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
    }
    return {};
}

bool hasOption(int argc, char** argv, const std::string& name) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == name || a.rfind(name + "=", 0) == 0) return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    using namespace canopy::app;
    // beam:NODE targets: canopyctl runs canopy-beam for each (child process, ephemeral port, a fresh
    // token in a private directory), points the command at it, and stops it when done.
    using canopy::introspection::BeamBridge;
    std::vector<std::unique_ptr<BeamBridge>> bridges;
    std::vector<std::string> args(argv, argv + argc);
    for (int i = 1; i < argc; ++i) {
        if (!BeamBridge::isTarget(args[std::size_t(i)])) continue;
        for (const char* t : {"--token", "--token-file", "--token-stdin", "--token-fd"})
            if (hasOption(argc, argv, t)) {
                std::cerr << "canopyctl: error: " << t << " does not apply to a beam: target (canopyctl gives the bridge "
                          << "a fresh token; the node's cookie comes from --cookie, --cookie-file or ~/.erlang.cookie)\n";
                return 2;
            }
        BeamBridge::Options o;
        o.cookie = optionValue(argc, argv, "--cookie");
        o.cookieFile = optionValue(argc, argv, "--cookie-file");
        const std::string timeout = optionValue(argc, argv, "--timeout");
        if (!timeout.empty()) o.timeoutMs = std::max(1, std::atoi(timeout.c_str()));
        if (!bridges.empty()) o.tokenFile = bridges.front()->tokenFile(); // one token for every bridge
        auto bridge = BeamBridge::start(args[std::size_t(i)], o);
        if (!bridge.ok()) {
            std::cerr << "canopyctl: error: " << bridge.error() << "\n";
            return 1;
        }
        args[std::size_t(i)] = (*bridge)->address();
        bridges.push_back(std::move(*bridge));
    }
    if (!bridges.empty()) args.insert(args.begin() + 1, {"--token-file", bridges.front()->tokenFile()});
    std::vector<char*> rewritten;
    for (auto& a : args) rewritten.push_back(a.data());
    argc = int(rewritten.size());
    rewritten.push_back(nullptr);
    argv = rewritten.data();
    CLI::App app{"canopyctl: record, inspect and diff Canopy supervision trees (live probe host:port, a BEAM node "
                 "beam:NAME@HOST through canopy-beam, or a .canopy file)",
                 "canopyctl"};
    app.require_subcommand(1);
    app.fallthrough();
    GlobalOptions global;
    int exitCode = 0;
    app.add_flag("--json", global.json, "Print JSON on stdout (for scripts)");
    auto* token = app.add_option("--token", global.token,
                                 "Token for a live probe (visible in ps; prefer --token-stdin, --token-fd or --token-file; "
                                 "default: $CANOPY_TOKEN, else ~/.canopy_token)");
    auto* tokenFile = app.add_option("--token-file", global.tokenFile, "File holding the token for a live probe")
                          ->check(CLI::ExistingFile);
    auto* tokenStdin = app.add_flag("--token-stdin", global.tokenStdin, "Read the token for a live probe from stdin (one line)");
    auto* tokenFd = app.add_option("--token-fd", global.tokenFd, "Read the token for a live probe from file descriptor N (one line)")
                        ->check(CLI::Range(0, 1 << 20));
    token->excludes(tokenFile)->excludes(tokenStdin)->excludes(tokenFd);
    tokenFile->excludes(tokenStdin)->excludes(tokenFd);
    tokenStdin->excludes(tokenFd);
    std::string cookie, cookieFile; // read before parsing, for beam: targets
    auto* cookieOpt = app.add_option("--cookie", cookie, "Erlang cookie for beam:NODE targets (default ~/.erlang.cookie)");
    app.add_option("--cookie-file", cookieFile, "File holding the Erlang cookie for beam:NODE targets")->excludes(cookieOpt);
    app.add_option("--timeout", global.timeoutMs, "Connect/handshake deadline for live targets, ms (default 5000)")
        ->check(CLI::Range(1, 3600000));
    addRecordCommand(app, global, exitCode);
    addTreeCommand(app, global, exitCode);
    addTopCommand(app, global, exitCode);
    addInfoCommand(app, global, exitCode);
    addDiffCommand(app, global, exitCode);
#ifdef CANOPY_HAVE_EXPORT
    addExportCommand(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {
        // A subcommand stopped with its own error (export): its line and code (1 bad input, 2 usage).
        std::cerr << "canopyctl: error: " << e.what() << "\n";
        return e.get_exit_code() == 0 ? 1 : e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        if (app.get_subcommands().empty()) {
            // Name the word that was meant as a command, skipping global options and their values.
            for (int i = 1; i < argc; ++i) {
                std::string a = argv[i];
                if (a == "--token" || a == "--token-file" || a == "--token-fd" || a == "--timeout" || a == "--cookie" ||
                    a == "--cookie-file") {
                    ++i;
                    continue;
                }
                if (!a.empty() && a[0] != '-') {
                    std::string names;
                    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
                        names += (names.empty() ? "" : ", ") + sub->get_name();
                    std::cerr << "canopyctl: error: unknown command '" << a << "' (commands: " << names << ")\n";
                    return 2;
                }
            }
        }
        std::cerr << "canopyctl: error: " << e.what() << " (see canopyctl --help)\n";
        return 2;
    }
    return exitCode;
}
