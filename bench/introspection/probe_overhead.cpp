// B15: ring + ping-pong pairs with 100k idle processes, without a probe, with a probe and no viewer,
// and with a viewer streaming samples at 10 Hz over loopback. Interleaved rounds, medians. Also the
// observer's CPU share of the machine during the measured runs (the probe's threads; the in-process
// viewer thread separately), which a loaded machine does not blur.
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <future>
#include <set>
#include <unistd.h>
#include <memory>
#include <thread>
#include <vector>

using namespace canopy;
using namespace canopy::introspection;
using WallClock = std::chrono::steady_clock;

namespace {
struct Token {
    std::int64_t left;
};
struct Ball {
    std::int64_t left;
    Pid from;
};
/// The threads of this process (Linux: /proc/self/task).
std::set<long> threadIds() {
    std::set<long> ids;
    if (DIR* d = opendir("/proc/self/task")) {
        while (dirent* e = readdir(d))
            if (e->d_name[0] != '.') ids.insert(std::atol(e->d_name));
        closedir(d);
    }
    return ids;
}

/// CPU time a thread of this process has used, in ns (schedstat: exact, unlike the tick counts).
double threadCpuNs(long tid) {
    std::ifstream f("/proc/self/task/" + std::to_string(tid) + "/schedstat");
    double ns = 0;
    f >> ns;
    return ns;
}

double cpuNsOf(const std::set<long>& tids) {
    double sum = 0;
    for (long t : tids) sum += threadCpuNs(t);
    return sum;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// ns per hop of a token travelling `hops` times around a ring of `size` processes.
double ring(Runtime& rt, int size, std::int64_t hops) {
    auto next = std::make_shared<std::vector<Pid>>(size);
    auto done = std::make_shared<std::promise<void>>();
    auto fut = done->get_future();
    std::vector<Pid> procs;
    for (int i = 0; i < size; ++i)
        procs.push_back(rt.spawnFn([next, done, i](Context& ctx, Message& m) {
            auto& t = m.as<Token>();
            if (t.left == 0) {
                done->set_value();
                return;
            }
            ctx.send((*next)[i], Token{t.left - 1});
        }));
    for (int i = 0; i < size; ++i) (*next)[i] = procs[(i + 1) % size];
    const auto t0 = WallClock::now();
    rt.send(procs[0], Token{hops});
    fut.wait();
    const double ns = std::chrono::duration<double, std::nano>(WallClock::now() - t0).count() / double(hops);
    for (auto& p : procs) rt.exit(p, ExitReason::kill());
    rt.waitIdle(10000);
    return ns;
}

/// ns per round trip over `pairs` ping-pong pairs running concurrently.
double pairsRun(Runtime& rt, int pairs, std::int64_t trips) {
    auto remaining = std::make_shared<std::atomic<int>>(pairs);
    auto done = std::make_shared<std::promise<void>>();
    auto fut = done->get_future();
    std::vector<Pid> procs;
    const auto t0 = WallClock::now();
    for (int p = 0; p < pairs; ++p) {
        Pid pong = rt.spawnFn([](Context& ctx, Message& m) {
            auto& b = m.as<Ball>();
            ctx.send(b.from, Ball{b.left, ctx.self()});
        });
        Pid ping = rt.spawnFn([remaining, done](Context& ctx, Message& m) {
            auto& b = m.as<Ball>();
            if (b.left == 0) {
                if (remaining->fetch_sub(1) == 1) done->set_value();
                return;
            }
            ctx.send(b.from, Ball{b.left - 1, ctx.self()});
        });
        procs.push_back(pong);
        procs.push_back(ping);
        rt.send(pong, Ball{trips, ping});
    }
    fut.wait();
    const double ns = std::chrono::duration<double, std::nano>(WallClock::now() - t0).count() / double(trips * pairs);
    for (auto& p : procs) rt.exit(p, ExitReason::kill());
    rt.waitIdle(10000);
    return ns;
}
} // namespace

int main(int argc, char** argv) {
    const int idle = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 9;
    RuntimeOptions ro;
    ro.workers = 2;
    Runtime rt(ro);
    for (int i = 0; i < idle; ++i) rt.spawnFn([](Context&, Message&) {});
    rt.waitIdle(60000);

    std::vector<double> ringNs[3], pairNs[3], probeShare[3], viewerShare;
    std::uint64_t samples = 0;
    for (int r = 0; r < rounds; ++r)
        for (int mode = 0; mode < 3; ++mode) {
            std::unique_ptr<Probe> probe;
            std::atomic<bool> stop{false};
            std::thread viewer;
            std::atomic<std::uint64_t> got{0};
            std::atomic<long> viewerTid{0};
            std::set<long> probeThreads;
            if (mode >= 1) {
                ProbeOptions po;
                po.token = "bench";
                po.flightRecorderEvents = 0;
                const std::set<long> before = threadIds();
                probe = std::make_unique<Probe>(rt, po);
                for (long t : threadIds())
                    if (!before.count(t)) probeThreads.insert(t);
            }
            if (mode == 2) {
                std::promise<void> ready;
                auto readyF = ready.get_future();
                viewer = std::thread([&] {
                    viewerTid = long(gettid());
                    LiveSource src;
                    LiveSource::Options o;
                    o.port = probe->port();
                    o.token = "bench";
                    o.encoding = Encoding::Cbor;
                    if (!src.connect(o)) {
                        ready.set_value();
                        return;
                    }
                    Subscribe s;
                    s.sampleHz = 10;
                    src.send(s);
                    WireMessage m;
                    int keyframes = 0;
                    while (keyframes < 2 && src.next(m, 30000) == Source::Outcome::Message)
                        keyframes += std::holds_alternative<Keyframe>(m);
                    ready.set_value();
                    while (!stop.load())
                        if (src.next(m, 100) == Source::Outcome::Message && std::holds_alternative<Sample>(m)) ++got;
                });
                readyF.wait();
            }
            // Every mode first runs a short ring: the probe's start-up work (one walk of the table to
            // find the root supervisors) is over before the measured runs, as it is for a viewer.
            ring(rt, 1000, 200000);
            const double p0 = cpuNsOf(probeThreads), v0 = viewerTid ? threadCpuNs(viewerTid) : 0;
            const auto w0 = WallClock::now();
            ringNs[mode].push_back(ring(rt, 1000, 1000000));
            pairNs[mode].push_back(pairsRun(rt, 50, 20000));
            if (mode >= 1) {
                // The observer's share of the machine while the measured runs ran: what it takes from
                // the workers when they keep every core busy (exact CPU time, immune to the load of a
                // shared machine, unlike the wall-clock losses below).
                const double machineNs =
                    std::chrono::duration<double, std::nano>(WallClock::now() - w0).count() * double(ro.workers);
                probeShare[mode].push_back(100.0 * (cpuNsOf(probeThreads) - p0) / machineNs);
                if (viewerTid) viewerShare.push_back(100.0 * (threadCpuNs(viewerTid) - v0) / machineNs);
            }
            stop = true;
            if (viewer.joinable()) viewer.join();
            samples += got.load();
            probe.reset();
        }
    const char* names[3] = {"no_probe", "probe_no_viewer", "viewer_10hz"};
    for (int m = 0; m < 3; ++m) {
        std::printf("RESULT B15_ring_%s ns_per_hop %.1f ns\n", names[m], median(ringNs[m]));
        std::printf("RESULT B15_pairs_%s ns_per_round_trip %.1f ns\n", names[m], median(pairNs[m]));
    }
    // Losses are medians of per-round ratios (each round runs the three modes back to back), so the
    // drift of a shared machine cancels instead of landing in one mode.
    auto loss = [&](const std::vector<double>* v, int mode) {
        std::vector<double> ratios;
        for (std::size_t r = 0; r < v[0].size(); ++r) ratios.push_back(v[mode][r] / v[0][r]);
        return 100.0 * (median(ratios) - 1);
    };
    std::printf("RESULT B15_ring loss_viewer_10hz %.1f %%\n", loss(ringNs, 2));
    std::printf("RESULT B15_pairs loss_viewer_10hz %.1f %%\n", loss(pairNs, 2));
    std::printf("RESULT B15_ring loss_probe_no_viewer %.1f %%\n", loss(ringNs, 1));
    std::printf("RESULT B15_pairs loss_probe_no_viewer %.1f %%\n", loss(pairNs, 1));
    std::printf("RESULT B15_cpu probe_share_no_viewer %.2f %%\n", median(probeShare[1]));
    std::printf("RESULT B15_cpu probe_share_viewer_10hz %.2f %%\n", median(probeShare[2]));
    std::printf("RESULT B15_cpu in_process_viewer_share %.2f %%\n", median(viewerShare));
    std::printf("samples received by the 10 Hz viewer: %llu\n", static_cast<unsigned long long>(samples));
    if (samples == 0) std::printf("NOTE B15: the viewer received no samples: the 10 Hz rows measured no sampling\n");
    return 0;
}
