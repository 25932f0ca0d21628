// B15: ring + ping-pong pairs with 100k idle processes, without a probe, with a probe and no viewer,
// and with a viewer streaming samples at 10 Hz over loopback. Interleaved rounds, medians.
#include "introspection/live_source.h"
#include "introspection/probe/probe.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
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

    std::vector<double> ringNs[3], pairNs[3];
    std::uint64_t samples = 0;
    for (int r = 0; r < rounds; ++r)
        for (int mode = 0; mode < 3; ++mode) {
            std::unique_ptr<Probe> probe;
            std::atomic<bool> stop{false};
            std::thread viewer;
            std::atomic<std::uint64_t> got{0};
            if (mode >= 1) {
                ProbeOptions po;
                po.token = "bench";
                po.flightRecorderEvents = 0;
                probe = std::make_unique<Probe>(rt, po);
            }
            if (mode == 2) {
                std::promise<void> ready;
                auto readyF = ready.get_future();
                viewer = std::thread([&] {
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
            ringNs[mode].push_back(ring(rt, 1000, 1000000));
            pairNs[mode].push_back(pairsRun(rt, 50, 20000));
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
    std::printf("samples received by the 10 Hz viewer: %llu\n", static_cast<unsigned long long>(samples));
    return 0;
}
