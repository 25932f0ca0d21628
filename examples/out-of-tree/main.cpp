// counter_service: a supervised gen_server with a probe, built against an installed Canopy
// (find_package(Canopy); see CMakeLists.txt and README.md next to this file).
//
//   counter_service [--calls N] [--serve]
// Makes N calls to the counter, kills it, waits for its supervisor to restart it and prints what
// happened; with --serve it then keeps running so `canopy` or `canopyctl` can attach to the probe.
#include <canopy/introspection/probe/probe.h>
#include <canopy/runtime/gen_server.h>
#include <canopy/runtime/runtime.h>
#include <canopy/runtime/supervision/supervisor.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

using namespace canopy;

/// handle_call(N, _, Sum) -> {reply, Sum + N, Sum + N}.
struct Counter final : GenServer {
    long sum = 0;
    ServerResult handleCall(Context&, Message& req, const From&) override {
        sum += req.as<int>();
        return ServerResult::replyWith(sum);
    }
};

int main(int argc, char** argv) {
    int calls = 100;
    bool serve = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--calls") && i + 1 < argc) calls = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--serve")) serve = true;
        else {
            std::fprintf(stderr, "usage: counter_service [--calls N] [--serve]\n");
            return 2;
        }
    }

    Runtime rt;
    introspection::Probe probe(rt, {.port = 0, .token = "counter-service-example", .flightRecorderEvents = 0});
    SupervisorSpec spec{{.strategy = Strategy::OneForOne, .maxRestarts = 3, .maxSeconds = 5},
                        {ChildSpec::worker<Counter>("counter")}};
    StartResult sup = Supervisor::start(rt, std::move(spec), "counter_sup");
    if (!sup.isOk()) {
        std::fprintf(stderr, "counter_sup did not start: %s\n", sup.error.toString().c_str());
        return 1;
    }

    Pid counter = Supervisor::whichChildren(rt, sup.pid).front().pid;
    long last = 0;
    for (int i = 0; i < calls; ++i) {
        CallOutcome r = rt.call(counter, Message::of(1));
        if (!r.ok()) {
            std::fprintf(stderr, "call failed: %s\n", r.exitReason.toString().c_str());
            return 1;
        }
        last = r.reply.as<long>();
    }
    std::printf("counter %s answered %d calls (sum %ld)\n", counter.toString().c_str(), calls, last);

    // Crash it: the supervisor starts a fresh one.
    rt.exit(counter, ExitReason::kill());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    Pid fresh;
    while (std::chrono::steady_clock::now() < deadline) {
        fresh = Supervisor::whichChildren(rt, sup.pid).front().pid;
        if (fresh.valid() && fresh != counter) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // polling a supervisor's state
    }
    if (!fresh.valid() || fresh == counter) {
        std::fprintf(stderr, "counter was not restarted within 5 s\n");
        return 1;
    }
    std::printf("counter_sup restarted counter: %s -> %s; probe on 127.0.0.1:%u (token %s)\n",
                counter.toString().c_str(), fresh.toString().c_str(), unsigned(probe.port()), probe.token().c_str());

    if (serve) {
        std::printf("serving; Ctrl-C to stop\n");
        std::fflush(stdout);
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    Supervisor::stop(rt, sup.pid, ExitReason::shutdown());
    return 0;
}
