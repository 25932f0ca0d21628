// beam_command_client: sends one viewer command to a probe and prints its result (for
// tests/beam/beam_bridge_test.sh; canopyctl has no command subcommand).
//   beam_command_client HOST:PORT TOKEN_FILE kill NAME
//   beam_command_client HOST:PORT TOKEN_FILE terminate_child|restart_child SUPERVISOR_NAME CHILD_ID
// NAME / SUPERVISOR_NAME: a process's registered name as the tree shows it. Prints "ok" or
// "error: MESSAGE"; exit 0 when the command succeeded, 1 when it was refused or failed, 2 on bad use.
#include "introspection/live_source.h"
#include "introspection/session.h"
#include "introspection/token_file.h"
#include <chrono>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    using namespace canopy::introspection;
    if (argc < 5) {
        std::cerr << "usage: beam_command_client HOST:PORT TOKEN_FILE kill NAME | "
                     "terminate_child|restart_child SUPERVISOR CHILD_ID\n";
        return 2;
    }
    const std::string action = argv[3], name = argv[4], childId = argc > 5 ? argv[5] : "";
    auto hp = LiveSource::parseHostPort(argv[1]);
    auto token = resolveToken("", argv[2]);
    if (!hp.ok() || !token.ok()) {
        std::cerr << "error: " << (hp.ok() ? token.error() : hp.error()) << "\n";
        return 2;
    }
    Session::LiveOptions o;
    o.host = hp->first;
    o.port = hp->second;
    o.token = *token;
    o.sampleHz = 0;
    o.client = "beam_command_client";
    auto session = Session::live(o);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto expired = [&] { return std::chrono::steady_clock::now() > deadline; };
    while (session->state().kind != SessionState::Kind::Live) {
        session->step(50);
        if (session->state().kind == SessionState::Kind::Refused || session->state().kind == SessionState::Kind::Lost ||
            expired()) {
            std::cerr << "error: " << session->state().message << "\n";
            return 1;
        }
    }
    const ProcessRecord* target = nullptr;
    for (const auto& [pid, r] : session->model().snapshot().processes)
        if (r.name == name) target = &r;
    if (!target) {
        std::cout << "error: no process named " << name << "\n";
        return 1;
    }
    Command c;
    c.id = 1;
    c.action = action;
    if (action == "kill") c.pid = target->pid;
    else c.supervisor = target->pid, c.childId = childId;
    if (auto st = session->send(c); !st) {
        std::cout << "error: " << st.error() << "\n";
        return 1;
    }
    while (!expired()) {
        session->step(50);
        for (const auto& r : session->takeCommandResults()) {
            if (r.id != 1) continue;
            std::cout << (r.ok ? "ok" : "error: " + r.message) << "\n";
            return r.ok ? 0 : 1;
        }
    }
    std::cout << "error: no result within 20 s\n";
    return 1;
}
