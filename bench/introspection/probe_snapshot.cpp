// B14: snapshot of a 100k-process tree (100 supervisors x 1k children) -> wire.
// Prints collect (table walk), encode (JSON, CBOR), end-to-end (viewer connect -> keyframe decoded),
// and the longest gap a busy process saw while snapshots were taken (nothing is paused), beside two
// controls (nothing running; the main thread spinning). CANOPY_WORKERS=n sets the workers (default 2).
#include "introspection/codec.h"
#include "introspection/live_source.h"
#include "introspection/probe/keyframe_builder.h"
#include "introspection/probe/keyframe_encoder.h"
#include <ctime>
#include "introspection/probe/probe.h"
#include "runtime/child_meta.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace canopy;
using namespace canopy::introspection;
using WallClock = std::chrono::steady_clock;

namespace {
double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
double msSince(WallClock::time_point t0) { return std::chrono::duration<double, std::milli>(WallClock::now() - t0).count(); }
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
/// Sends itself a tick forever and records the longest gap between two ticks.
struct Heartbeat {
    std::atomic<std::int64_t> maxGapNs{0};
    std::atomic<std::int64_t> lastNs{0};
    std::atomic<bool> armed{false};
};
} // namespace

int main(int argc, char** argv) {
    const int supervisors = argc > 1 ? std::atoi(argv[1]) : 100;
    const int perSup = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int runs = 5;
    RuntimeOptions ro;
    ro.workers = std::getenv("CANOPY_WORKERS") ? unsigned(std::atoi(std::getenv("CANOPY_WORKERS"))) : 2;
    Runtime rt(ro);
    auto supMeta = std::make_shared<ChildMeta>();
    supMeta->kind = ProcessKind::Supervisor;
    supMeta->strategy = "one_for_one";
    supMeta->restart = "permanent";
    supMeta->shutdown = "infinity";
    supMeta->maxRestarts = 3;
    supMeta->maxSeconds = 5;
    auto idle = [](Context&, Message&) {};
    for (int s = 0; s < supervisors; ++s) {
        SpawnOptions so;
        so.meta = supMeta;
        so.name = "sup_" + std::to_string(s);
        Pid sup = rt.spawnFn(idle, so);
        for (int c = 0; c < perSup; ++c) {
            auto meta = std::make_shared<ChildMeta>();
            meta->childId = "worker_" + std::to_string(c);
            meta->restart = "permanent";
            meta->shutdown = "5000";
            SpawnOptions co;
            co.meta = meta;
            co.parent = sup;
            rt.spawnFn(idle, co);
        }
    }
    rt.waitIdle(60000);
    const auto n = rt.processCount();
    std::fprintf(stderr, "spawned %zu processes\n", n);

    if (argc > 3 && std::string(argv[3]) == "live-only") { // for profiling the probe's keyframe path
        std::vector<double> t;
        for (int i = 0; i < 20; ++i) {
            const double c0 = cpuMs();
            std::vector<std::uint8_t> out;
            KeyframeEncoder::appendLiveFrame(out, rt, 0, Encoding::Cbor);
            t.push_back(cpuMs() - c0);
        }
        std::printf("RESULT B14_snapshot live_walk_encode_cbor_cpu_ms %.1f ms\n", median(t));
        return 0;
    }
    auto hb = std::make_shared<Heartbeat>();
    Pid beat = rt.spawnFn([hb, &rt](Context& ctx, Message&) {
        const auto now = rt.clock().nowNs();
        const auto last = hb->lastNs.exchange(now);
        if (hb->armed.load() && last) {
            auto gap = now - last;
            auto cur = hb->maxGapNs.load();
            while (gap > cur && !hb->maxGapNs.compare_exchange_weak(cur, gap)) {}
        }
        ctx.send(ctx.self(), 1);
    });
    rt.send(beat, 1);

    std::vector<double> walkOnly;
    for (int i = 0; i < runs; ++i) {
        const double c0 = cpuMs();
        std::size_t seen = 0;
        rt.forEachProcess([&](const ProcessInfo&) { ++seen; });
        walkOnly.push_back(cpuMs() - c0);
    }
    std::vector<double> viewOnly, countersOnly;
    for (int i = 0; i < runs; ++i) {
        double c0 = cpuMs();
        std::size_t seen = 0;
        rt.forEachProcessView([&](const ProcessView& v) { seen += v.links.size(); });
        viewOnly.push_back(cpuMs() - c0);
        c0 = cpuMs();
        rt.forEachProcessCounters([&](const ProcessCounters& c) { seen += std::size_t(c.mailboxLength); });
        countersOnly.push_back(cpuMs() - c0);
    }
    std::vector<double> liveCbor, liveJson;
    std::size_t liveBytes = 0;
    for (int i = 0; i < runs; ++i)
        for (Encoding enc : {Encoding::Cbor, Encoding::Json}) {
            const double c0 = cpuMs();
            std::vector<std::uint8_t> out;
            KeyframeEncoder::appendLiveFrame(out, rt, 0, enc);
            (enc == Encoding::Cbor ? liveCbor : liveJson).push_back(cpuMs() - c0);
            if (enc == Encoding::Cbor) liveBytes = out.size();
        }
    // Controls for the gap: the heartbeat's longest gap while nothing else runs, and while the main
    // thread only spins (any CPU-bound thread beside the workers, no probe code at all).
    double idleGapMs = 0;
    {
        hb->maxGapNs = 0;
        hb->lastNs = 0;
        hb->armed = true;
        const auto until = WallClock::now() + std::chrono::milliseconds(500);
        while (WallClock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        hb->armed = false;
        idleGapMs = hb->maxGapNs.load() / 1e6;
        hb->maxGapNs = 0;
        hb->lastNs = 0;
        hb->armed = true;
        const auto until2 = WallClock::now() + std::chrono::milliseconds(500);
        volatile std::uint64_t x = 0;
        while (WallClock::now() < until2) for (int k = 0; k < 1000; ++k) x = x + 1;
        hb->armed = false;
        std::printf("RESULT B14_snapshot max_process_gap_main_spinning_ms %.2f ms\n", hb->maxGapNs.load() / 1e6);
        hb->maxGapNs = 0;
        hb->lastNs = 0;
    }
    std::vector<double> collect, json, cbor, fastJson, fastCbor, collectCpu, fastJsonCpu, fastCborCpu;
    std::size_t jsonBytes = 0, cborBytes = 0, fastJsonBytes = 0, fastCborBytes = 0;
    hb->armed = true;
    for (int i = 0; i < runs; ++i) {
        auto t0 = WallClock::now();
        double c0 = cpuMs();
        Keyframe kf = KeyframeBuilder::build(rt);
        collect.push_back(msSince(t0));
        collectCpu.push_back(cpuMs() - c0);
        t0 = WallClock::now();
        c0 = cpuMs();
        std::vector<std::uint8_t> fj;
        KeyframeEncoder::appendFrame(fj, kf, Encoding::Json);
        fastJson.push_back(msSince(t0));
        fastJsonCpu.push_back(cpuMs() - c0);
        t0 = WallClock::now();
        c0 = cpuMs();
        std::vector<std::uint8_t> fc;
        KeyframeEncoder::appendFrame(fc, kf, Encoding::Cbor);
        fastCbor.push_back(msSince(t0));
        fastCborCpu.push_back(cpuMs() - c0);
        fastJsonBytes = fj.size();
        fastCborBytes = fc.size();
        if (i < 2) { // the DOM codec is slow; two runs are enough to show it
            t0 = WallClock::now();
            auto j = Codec::encodePayload(kf, Encoding::Json);
            json.push_back(msSince(t0));
            t0 = WallClock::now();
            auto c = Codec::encodePayload(kf, Encoding::Cbor);
            cbor.push_back(msSince(t0));
            jsonBytes = j.size();
            cborBytes = c.size();
        }
    }
    const double gapDuringWalkMs = hb->maxGapNs.load() / 1e6;

    ProbeOptions po;
    po.token = "bench";
    po.flightRecorderEvents = 0;
    Probe probe(rt, po);
    std::vector<double> e2eJson, e2eCbor;
    for (int i = 0; i < runs; ++i)
        for (Encoding enc : {Encoding::Json, Encoding::Cbor}) {
            LiveSource src;
            LiveSource::Options o;
            o.port = probe.port();
            o.token = "bench";
            o.encoding = enc;
            const auto t0 = WallClock::now();
            o.connectTimeoutMs = 60000;
            if (auto st = src.connect(o); !st) {
                std::fprintf(stderr, "connect: %s\n", st.error().c_str());
                return 1;
            }
            WireMessage m;
            while (src.next(m, 30000) == Source::Outcome::Message && !std::holds_alternative<Keyframe>(m)) {}
            (enc == Encoding::Json ? e2eJson : e2eCbor).push_back(msSince(t0));
            if (std::get<Keyframe>(m).processes.size() < n) std::fprintf(stderr, "short keyframe\n");
        }
    hb->armed = false;
    rt.exit(beat, ExitReason::kill());

    std::printf("processes %zu\n", n);
    std::printf("RESULT B14_snapshot collect_ms %.1f ms\n", median(collect));
    std::printf("RESULT B14_snapshot runtime_walk_only_cpu_ms %.1f ms\n", median(walkOnly));
    std::printf("RESULT B14_snapshot runtime_view_walk_cpu_ms %.1f ms\n", median(viewOnly));
    std::printf("RESULT B14_snapshot runtime_counters_walk_cpu_ms %.1f ms\n", median(countersOnly));
    std::printf("RESULT B14_snapshot live_walk_encode_cbor_cpu_ms %.1f ms\n", median(liveCbor));
    std::printf("RESULT B14_snapshot live_walk_encode_json_cpu_ms %.1f ms\n", median(liveJson));
    std::printf("RESULT B14_snapshot live_keyframe_cbor_bytes %zu bytes\n", liveBytes);
    std::printf("RESULT B14_snapshot collect_cpu_ms %.1f ms\n", median(collectCpu));
    std::printf("RESULT B14_snapshot encode_json_ms %.1f ms\n", median(fastJson));
    std::printf("RESULT B14_snapshot encode_json_cpu_ms %.1f ms\n", median(fastJsonCpu));
    std::printf("RESULT B14_snapshot encode_cbor_ms %.1f ms\n", median(fastCbor));
    std::printf("RESULT B14_snapshot encode_cbor_cpu_ms %.1f ms\n", median(fastCborCpu));
    std::printf("RESULT B14_snapshot total_cpu_ms %.1f ms\n", median(collectCpu) + median(fastCborCpu));
    std::printf("RESULT B14_snapshot total_wall_ms %.1f ms\n", median(collect) + median(fastCbor));
    std::printf("RESULT B14_snapshot codec_dom_json_ms %.1f ms\n", median(json));
    std::printf("RESULT B14_snapshot codec_dom_cbor_ms %.1f ms\n", median(cbor));
    std::printf("RESULT B14_snapshot keyframe_json_bytes %zu bytes\n", fastJsonBytes);
    std::printf("RESULT B14_snapshot keyframe_cbor_bytes %zu bytes\n", fastCborBytes);
    std::printf("RESULT B14_snapshot codec_json_bytes %zu bytes\n", jsonBytes);
    std::printf("RESULT B14_snapshot codec_cbor_bytes %zu bytes\n", cborBytes);
    std::printf("RESULT B14_snapshot viewer_e2e_json_ms %.1f ms\n", median(e2eJson));
    std::printf("RESULT B14_snapshot viewer_e2e_cbor_ms %.1f ms\n", median(e2eCbor));
    std::printf("RESULT B14_snapshot max_process_gap_ms %.2f ms\n", std::max(gapDuringWalkMs, hb->maxGapNs.load() / 1e6));
    std::printf("RESULT B14_snapshot max_process_gap_during_snapshots_ms %.2f ms\n", gapDuringWalkMs);
    std::printf("RESULT B14_snapshot max_process_gap_nothing_running_ms %.2f ms\n", idleGapMs);
    return 0;
}
