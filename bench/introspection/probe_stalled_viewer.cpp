// A viewer that stops reading must not slow the runtime: 20,000 spawn + kill with no viewer, and
// with one stalled viewer (a small receive buffer it never reads, a 64-frame queue limit), in
// interleaved rounds. Prints medians and the slowdown. (Was a timed assertion in tst_probe; speed
// goals live here. tst_probe keeps the behaviour: the runtime finishes, the viewer is resynced.)
//   RESULT probe_stalled_viewer churn_no_viewer <ms> ms
//   RESULT probe_stalled_viewer churn_stalled_viewer <ms> ms
//   RESULT probe_stalled_viewer slowdown <ratio> x
// Usage: probe_stalled_viewer [rounds=5] [processes=20000]
#include "introspection/probe/probe.h"
#include "runtime/runtime.h"
#include "tests/probe/raw_viewer.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

using namespace canopy;
using namespace canopy::introspection;
using WallClock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Milliseconds to spawn and kill `n` idle processes and let the runtime settle (-1 when it did not).
double churn(Runtime& rt, int n) {
    const auto t0 = WallClock::now();
    for (int i = 0; i < n; ++i) {
        Pid p = rt.spawnFn([](Context&, Message&) {});
        rt.exit(p, ExitReason::kill());
    }
    if (!rt.waitIdle(60000)) return -1;
    return std::chrono::duration<double, std::milli>(WallClock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const int processes = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20000;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "canopy-bench-stalled-viewer";
    std::filesystem::create_directories(dir);
    RuntimeOptions ro;
    ro.workers = 2;
    Runtime rt(ro);
    ProbeOptions o;
    o.token = "bench";
    o.tokenFile = (dir / "token").string();
    o.flightRecorderDir = dir.string();
    o.viewerQueueLimit = 64;
    Probe probe(rt, o);
    std::vector<double> alone, stalled;
    for (int r = 0; r < rounds; ++r) {
        alone.push_back(churn(rt, processes));
        test::RawViewer viewer;
        if (!viewer.connect(probe.port(), 4096) || !viewer.hello("bench") || !viewer.next(5000) || !viewer.next(5000)) {
            std::fprintf(stderr, "probe_stalled_viewer: the viewer did not get its welcome and keyframe\n");
            return 1;
        }
        stalled.push_back(churn(rt, processes)); // the viewer reads nothing more
        viewer.close(true);
        if (alone.back() < 0 || stalled.back() < 0) {
            std::fprintf(stderr, "probe_stalled_viewer: the runtime did not settle within 60 s\n");
            return 1;
        }
    }
    const double a = median(alone), s = median(stalled);
    std::printf("RESULT probe_stalled_viewer churn_no_viewer %.1f ms\n", a);
    std::printf("RESULT probe_stalled_viewer churn_stalled_viewer %.1f ms\n", s);
    std::printf("RESULT probe_stalled_viewer slowdown %.2f x\n", a > 0 ? s / a : 0.0);
    std::filesystem::remove_all(dir);
    return 0;
}
