// viewer_keyframe_100k: connect -> a 100k-process keyframe decoded into the model, wall time.
// A scripted fake probe on loopback (tests/introspection/fake_probe.h) answers the handshake and
// sends a real keyframe of 100 supervisors x 1,000 workers (records shaped like the probe's live
// walk: ids, restart types, shutdowns, links), pre-encoded in CBOR; the viewer is a live Session
// (what the app's worker and canopyctl pump): connect, handshake, keyframe into its SessionModel.
// Also prints the same through LiveSource + SessionModel alone, and the parts: codec decode alone
// (CPU of the decoding thread), model apply alone, frame size.
// Usage: bench_viewer_keyframe [--processes N] [--runs R]
#include "introspection/codec.h"
#include "introspection/live_source.h"
#include "introspection/pid_text.h"
#include "introspection/session.h"
#include "introspection/session_model.h"
#include "tests/introspection/fake_probe.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace canopy::introspection;
using Clock = std::chrono::steady_clock;

namespace {
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}
double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

Keyframe bigKeyframe(std::size_t processes) {
    Keyframe k;
    k.seq = 7;
    k.timeNs = 2'000'000'000;
    const std::size_t sups = std::max<std::size_t>(1, processes / 1000);
    const std::size_t perSup = processes / sups - 1;
    std::uint64_t pid = 1;
    k.processes.reserve(processes);
    for (std::size_t s = 0; s < sups; ++s) {
        ProcessRecord sup;
        sup.pid = pid++;
        sup.name = "sup_" + std::to_string(s);
        sup.kind = "supervisor";
        sup.strategy = "one_for_one";
        sup.restart = "permanent";
        sup.shutdown = "infinity";
        sup.maxRestarts = 3;
        sup.maxSeconds = 5;
        sup.startOrder = sup.pid;
        const std::size_t supIndex = k.processes.size();
        k.processes.push_back(sup);
        for (std::size_t c = 0; c < perSup; ++c) {
            ProcessRecord w;
            w.pid = pid++;
            w.parent = sup.pid;
            w.childId = "worker_" + std::to_string(c);
            w.restart = "permanent";
            w.shutdown = "5000";
            w.initialCall = "bench:worker/1";
            w.links = {sup.pid};
            w.messagesHandled = c * 3;
            w.memoryBytes = 2840;
            w.startOrder = w.pid;
            k.processes[supIndex].links.push_back(w.pid);
            k.processes.push_back(std::move(w));
        }
    }
    for (auto& r : k.processes) r.pidText = pidText(r.pid);
    return k;
}
} // namespace

int main(int argc, char** argv) {
    std::size_t processes = 100'000;
    int runs = 15;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--processes" && i + 1 < argc) processes = std::size_t(std::atol(argv[++i]));
        else if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_viewer_keyframe [--processes N] [--runs R]\n");
            return 2;
        }
    }
    const Keyframe k = bigKeyframe(processes);
    testing::FakeProbe probe;
    Codec::appendFrame(probe.scriptFrames, k, Encoding::Cbor);
    probe.start();
    const std::span<const std::uint8_t> payload(probe.scriptFrames.data() + protocol::kFrameHeaderSize,
                                                probe.scriptFrames.size() - protocol::kFrameHeaderSize);

    std::vector<double> sessionWall, wall, viewerCpu, decodeCpu, applyCpu;
    for (int i = 0; i < runs; ++i) {
        {
            const auto t0 = Clock::now();
            Session::LiveOptions o;
            o.port = probe.port();
            o.encoding = Encoding::Cbor;
            o.sampleHz = 1.0; // the probe's default: no subscribe, no second keyframe
            o.connectTimeoutMs = 30000;
            auto session = Session::live(o);
            while (session->state().kind != SessionState::Kind::Live) {
                session->step(100);
                if (session->state().finished() || session->state().kind == SessionState::Kind::Lost) {
                    std::fprintf(stderr, "bench_viewer_keyframe: %s\n", session->state().message.c_str());
                    return 1;
                }
            }
            sessionWall.push_back(ms(Clock::now() - t0));
            if (session->model().snapshot().processes.size() != k.processes.size()) {
                std::fprintf(stderr, "bench_viewer_keyframe: the session's model holds %zu processes\n",
                             session->model().snapshot().processes.size());
                return 1;
            }
        }
        const auto t0 = Clock::now();
        const double v0 = cpuMs();
        LiveSource src;
        LiveSource::Options o;
        o.port = probe.port();
        o.encoding = Encoding::Cbor;
        o.connectTimeoutMs = 30000;
        if (auto st = src.connect(o); !st) {
            std::fprintf(stderr, "bench_viewer_keyframe: %s\n", st.error().c_str());
            return 1;
        }
        SessionModel model;
        model.setStartNs(src.startNs());
        WireMessage m;
        while (!model.hasBase()) {
            if (src.next(m, 30000) != Source::Outcome::Message) {
                std::fprintf(stderr, "bench_viewer_keyframe: no keyframe: %s\n", src.error().c_str());
                return 1;
            }
            model.apply(std::move(m));
        }
        wall.push_back(ms(Clock::now() - t0));
        viewerCpu.push_back(cpuMs() - v0);
        if (model.snapshot().processes.size() != k.processes.size()) {
            std::fprintf(stderr, "bench_viewer_keyframe: the model holds %zu processes, expected %zu\n",
                         model.snapshot().processes.size(), k.processes.size());
            return 1;
        }
        // The parts, on this thread alone.
        double c0 = cpuMs();
        auto decoded = Codec::decodePayload(payload, Encoding::Cbor);
        decodeCpu.push_back(cpuMs() - c0);
        if (!decoded.ok()) {
            std::fprintf(stderr, "bench_viewer_keyframe: %s\n", decoded.error().c_str());
            return 1;
        }
        SessionModel fresh;
        c0 = cpuMs();
        fresh.apply(std::move(*decoded));
        applyCpu.push_back(cpuMs() - c0);
    }
    probe.stop();
    std::printf("# %zu processes, keyframe frame %.1f MiB CBOR, %d runs\n", k.processes.size(),
                double(probe.scriptFrames.size()) / 1048576.0, runs);
    std::printf("RESULT viewer_keyframe_100k decode_ms %.1f ms\n", pct(sessionWall, 0.5));
    std::printf("RESULT viewer_keyframe_100k decode_p99_ms %.1f ms\n", pct(sessionWall, 0.99));
    std::printf("RESULT viewer_keyframe_100k live_source_model_ms %.1f ms\n", pct(wall, 0.5));
    std::printf("RESULT viewer_keyframe_100k live_source_model_cpu_ms %.1f ms\n", pct(viewerCpu, 0.5));
    std::printf("RESULT viewer_keyframe_100k codec_decode_cpu_ms %.1f ms\n", pct(decodeCpu, 0.5));
    std::printf("RESULT viewer_keyframe_100k model_apply_cpu_ms %.1f ms\n", pct(applyCpu, 0.5));
    std::printf("RESULT viewer_keyframe_100k frame_bytes %zu bytes\n", probe.scriptFrames.size());
    return 0;
}
