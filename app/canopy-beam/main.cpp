// canopy-beam: serves a running Erlang/Elixir node's supervision trees over the Canopy probe protocol.
#include "app/canopy-beam/beam_error.h"
#include "app/canopy-beam/beam_source.h"
#include "app/canopy-beam/canopy_beam_agent_beam.h"
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

/// The cookie: given, else the first line of the cookie file (default ~/.erlang.cookie, as erl finds it).
std::string resolveCookie(const std::string& given, std::string file) {
    if (!given.empty()) return given;
    if (file.empty()) {
        const char* home = std::getenv("HOME");
        if (!home || !*home)
            throw canopy::beam::BeamError("no cookie: give --cookie or --cookie-file (HOME is not set, so there is no "
                                          "~/.erlang.cookie)",
                                          2);
        file = std::string(home) + "/.erlang.cookie";
    }
    std::ifstream in(file);
    if (!in) throw canopy::beam::BeamError("cannot read the cookie file " + file + " (give --cookie or --cookie-file)", 2);
    std::string cookie;
    std::getline(in, cookie);
    while (!cookie.empty() && std::isspace(static_cast<unsigned char>(cookie.back()))) cookie.pop_back();
    if (cookie.empty()) throw canopy::beam::BeamError("the cookie file " + file + " is empty", 2);
    return cookie;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"canopy-beam: attach to a running Erlang/Elixir node as a hidden C node and serve its supervision "
                 "trees to Canopy viewers (canopyctl, the canopy app).\nExit codes: 0 detached on request, 1 bad "
                 "arguments, 2 cannot attach (no such node, wrong cookie), 3 the node went away, 4 internal error.",
                 "canopy-beam"};
    canopy::beam::BeamOptions beam;
    canopy::introspection::ProbeOptions probe;
    probe.flightRecorderEvents = 0;
    std::string cookie, cookieFile;
    unsigned timeoutMs = 5000;
    app.add_option("NODE", beam.node, "The node to observe, name@host (e.g. todo@localhost)")->required();
    auto* c = app.add_option("--cookie", cookie, "Distribution cookie (visible in ps; prefer --cookie-file)");
    app.add_option("--cookie-file", cookieFile, "File holding the cookie (default ~/.erlang.cookie)")->excludes(c);
    app.add_option("--port", probe.port, "TCP port to serve viewers on, loopback (default 0: a free port)");
    app.add_option("--port-file", probe.portFile, "Write the bound port to this file");
    app.add_option("--token-file", probe.tokenFile,
                   "Token file (default ~/.canopy_token; created 0600 with a fresh token when missing)");
    app.add_option("--interval-ms", beam.intervalMs, "Shortest interval between two mailbox samples, ms (default 500)")
        ->check(CLI::Range(10u, 3600000u));
    app.add_option("--timeout", timeoutMs, "Deadline to connect and of each call to the node, ms (default 5000)")
        ->check(CLI::Range(100u, 3600000u));
    app.add_option("--supervisor-timeout", beam.supervisorTimeoutMs,
                   "How long a supervisor may take to answer which_children, ms (default 1000)")
        ->check(CLI::Range(10u, 600000u));
    app.add_option("--application", beam.applications,
                   "Draw only this application's tree (repeatable; default: every application and the processes "
                   "outside them)");
    app.add_flag("--allow-commands", probe.allowCommands,
                 "Let viewers kill processes and terminate/restart children on the node");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        std::cerr << "canopy-beam: error: " << e.what() << " (see canopy-beam --help)\n";
        return 1;
    }
    beam.timeoutMs = timeoutMs;
    try {
        beam.cookie = resolveCookie(cookie, cookieFile);
        std::vector<char> agent(std::begin(canopy::beam::kAgentBeam), std::end(canopy::beam::kAgentBeam));
        canopy::beam::BeamSource source(beam, probe, std::move(agent));
        std::cerr << "canopy-beam: attached to " << beam.node << ": " << source.attachedProcesses() << " processes, walked in "
                  << static_cast<long>(source.attachWalkMs()) << " ms\n";
        const int code = source.run();
        source.detach();
        if (code == 0) std::cerr << "canopy-beam: detached from " << beam.node << " (" << source.latency().summary() << ")\n";
        return code;
    } catch (const canopy::beam::BeamError& e) {
        std::cerr << "canopy-beam: " << e.what() << "\n";
        return e.exitCode();
    } catch (const std::exception& e) {
        std::cerr << "canopy-beam: " << e.what() << "\n";
        return 2;
    }
}
