// B18: crash -> restart event visible to a connected viewer (kill a supervised child, time until the
// viewer has decoded the child_restarted delta). p50 / p99 / max over N kills.
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "runtime/gen_server.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace canopy;
using namespace canopy::introspection;
using WallClock = std::chrono::steady_clock;

namespace {
struct Idle : GenServer {};
}

int main(int argc, char** argv) {
    const int kills = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int idle = argc > 2 ? std::atoi(argv[2]) : 10000;
    RuntimeOptions ro;
    ro.workers = 2;
    Runtime rt(ro);
    for (int i = 0; i < idle; ++i) rt.spawnFn([](Context&, Message&) {});
    SupervisorSpec spec;
    spec.flags.maxRestarts = 1000000;
    spec.flags.maxSeconds = 1;
    spec.children.push_back(ChildSpec::worker<Idle>("victim"));
    auto sr = Supervisor::start(rt, spec, "bench_sup");
    if (!sr.isOk()) return 1;
    ProbeOptions po;
    po.token = "bench";
    Probe probe(rt, po);
    LiveSource src;
    LiveSource::Options o;
    o.port = probe.port();
    o.token = "bench";
    o.encoding = Encoding::Cbor;
    if (!src.connect(o)) return 1;
    Subscribe sub;
    sub.sampleHz = 0;
    src.send(sub);
    WireMessage m;
    int keyframes = 0;
    while (keyframes < 2 && src.next(m, 30000) == Source::Outcome::Message) keyframes += std::holds_alternative<Keyframe>(m);
    std::vector<double> us;
    for (int i = 0; i < kills; ++i) {
        Pid victim;
        for (const auto& c : Supervisor::whichChildren(rt, sr.pid)) victim = c.pid;
        const auto t0 = WallClock::now();
        rt.exit(victim, ExitReason::kill());
        bool seen = false;
        while (!seen && src.next(m, 5000) == Source::Outcome::Message)
            if (auto* d = std::get_if<Delta>(&m)) seen = d->type == DeltaType::ChildRestarted;
        if (!seen) {
            std::fprintf(stderr, "restart %d not seen\n", i);
            return 1;
        }
        us.push_back(std::chrono::duration<double, std::micro>(WallClock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    std::printf("RESULT B18_restart_visible p50 %.0f us\n", us[us.size() / 2]);
    std::printf("RESULT B18_restart_visible p99 %.0f us\n", us[us.size() * 99 / 100]);
    std::printf("RESULT B18_restart_visible max %.0f us\n", us.back());
    return 0;
}
