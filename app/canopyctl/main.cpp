// canopyctl: the headless Canopy observer. Qt-free.
#include "app/canopyctl/commands.h"
#include "app/canopyctl/global_options.h"
#include <iostream>
#ifdef CANOPY_HAVE_EXPORT
#include "app/canopyctl/export_command.h"
#endif

int main(int argc, char** argv) {
    using namespace canopy::app;
    CLI::App app{"canopyctl: record, inspect and diff Canopy supervision trees (live probe host:port or .canopy file)",
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
                if (a == "--token" || a == "--token-file" || a == "--token-fd" || a == "--timeout") {
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
