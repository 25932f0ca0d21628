// G3: seek to any moment of a one-hour session of a busy system (millions of events).
// Writes a synthetic session (default: 1 h, 1,000 structural deltas/s = 3.6 M deltas, 1 Hz samples,
// ~2,000 live processes, keyframes every 10 s / 10k deltas), then times open + seeks to random moments.
// Usage: bench_session_seek [--hours H] [--rate DELTAS_PER_S] [--seeks N] [--file PATH] [--keep]
// Prints RESULT lines: write throughput, file size, open time, seek median / p99 / max.
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "introspection/pid_text.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <sys/stat.h>
#include <ctime>
#include <unistd.h>

using namespace canopy::introspection;
using Clock = std::chrono::steady_clock;

static double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int main(int argc, char** argv) {
    double hours = 1.0;
    double rate = 1000;
    int seeks = 200;
    std::string path = "/tmp/canopy-g3-" + std::to_string(::getpid()) + ".canopy";
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_session_seek: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--hours") hours = std::atof(next());
        else if (a == "--rate") rate = std::atof(next());
        else if (a == "--seeks") seeks = std::atoi(next());
        else if (a == "--file") path = next();
        else if (a == "--keep") keep = true;
        else {
            std::fprintf(stderr, "bench_session_seek: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    if (hours <= 0 || rate <= 0 || seeks <= 0) {
        std::fprintf(stderr, "bench_session_seek: --hours, --rate and --seeks must be positive\n");
        return 2;
    }
    const std::int64_t start = 1'000'000'000;
    [[maybe_unused]] const std::int64_t durationNs = static_cast<std::int64_t>(hours * 3600e9);
    const std::uint64_t totalDeltas = static_cast<std::uint64_t>(hours * 3600 * rate);
    const std::int64_t stepNs = static_cast<std::int64_t>(1e9 / rate);

    // A tree of 20 supervisors x 100 workers; the churn: a worker crashes and is restarted (3 deltas:
    // exit, spawn, child_restarted), or a dynamic worker is spawned / exits.
    std::mt19937_64 rng(42);
    SessionWriter writer;
    SessionHeader header;
    header.startNs = start;
    header.source = "synthetic G3";
    auto t0 = Clock::now();
    if (auto s = writer.open(path, header); !s) {
        std::fprintf(stderr, "bench_session_seek: %s\n", s.error().c_str());
        return 1;
    }
    Keyframe k;
    k.timeNs = start;
    std::uint64_t nextPid = 1;
    auto add = [&](std::uint64_t parent, std::string id, std::string kind) {
        ProcessRecord r;
        r.pid = nextPid++;
        r.pidText = pidText(r.pid);
        r.parent = parent;
        r.childId = std::move(id);
        r.kind = std::move(kind);
        r.restart = "permanent";
        r.startOrder = r.pid;
        if (r.kind != "worker") {
            r.strategy = "one_for_one";
            r.maxRestarts = 1000000;
            r.maxSeconds = 5;
        }
        k.processes.push_back(r);
        return r.pid;
    };
    const std::uint64_t root = add(0, "root_sup", "supervisor");
    std::vector<std::uint64_t> sups;
    std::vector<std::vector<std::uint64_t>> workers; // current pid per (sup, slot)
    for (int s = 0; s < 20; ++s) {
        sups.push_back(add(root, "sup_" + std::to_string(s), "supervisor"));
        workers.emplace_back();
        for (int w = 0; w < 100; ++w) workers.back().push_back(add(sups.back(), "worker_" + std::to_string(w), "worker"));
    }
    writer.write(k);
    std::uint64_t seq = 0;
    std::int64_t t = start;
    std::int64_t nextSample = start + 1'000'000'000;
    while (seq < totalDeltas) {
        t += stepNs * 3;
        const std::size_t s = rng() % sups.size();
        const std::size_t w = rng() % workers[s].size();
        const std::uint64_t old = workers[s][w];
        const std::uint64_t fresh = nextPid++;
        Delta d;
        d.timeNs = t;
        d.seq = ++seq;
        d.type = DeltaType::Exit;
        d.pid = old;
        d.reason = "{badarg,[{worker,handle_call,3}]}";
        writer.write(d);
        d = Delta{};
        d.timeNs = t + 1000;
        d.seq = ++seq;
        d.type = DeltaType::Spawn;
        d.pid = fresh;
        d.peer = sups[s];
        d.text = "worker:init/1";
        writer.write(d);
        d = Delta{};
        d.timeNs = t + 2000;
        d.seq = ++seq;
        d.type = DeltaType::ChildRestarted;
        d.pid = fresh;
        d.peer = sups[s];
        d.text = "worker_" + std::to_string(w);
        d.strategy = "one_for_one";
        d.restartsInWindow = 1;
        d.maxRestarts = 1000000;
        d.maxSeconds = 5;
        writer.write(d);
        workers[s][w] = fresh;
        if (t >= nextSample) {
            Sample smp;
            smp.timeNs = t;
            smp.processCount = 2021;
            smp.messageRate = 50000;
            for (int i = 0; i < 50; ++i) smp.mailboxes.push_back({workers[rng() % 20][rng() % 100], std::int64_t(rng() % 100)});
            writer.write(smp);
            nextSample += 1'000'000'000;
        }
    }
    const auto index = writer.index();
    if (auto s = writer.close(); !s) {
        std::fprintf(stderr, "bench_session_seek: %s\n", s.error().c_str());
        return 1;
    }
    const double writeMs = ms(Clock::now() - t0);
    struct stat st {};
    ::stat(path.c_str(), &st);
    std::printf("RESULT G3_session_write deltas %llu count\n", (unsigned long long)seq);
    std::printf("RESULT G3_session_write keyframes %zu count\n", index.entries.size());
    std::printf("RESULT G3_session_write file_size %.1f MiB\n", double(st.st_size) / 1048576.0);
    std::printf("RESULT G3_session_write throughput %.0f deltas/s\n", double(seq) / (writeMs / 1000.0));

    auto o0 = Clock::now();
    SessionReader reader;
    if (auto s = reader.open(path); !s) {
        std::fprintf(stderr, "bench_session_seek: %s\n", s.error().c_str());
        return 1;
    }
    const double openMs = ms(Clock::now() - o0);
    std::printf("RESULT G3_session_open time %.3f ms\n", openMs);
    std::vector<double> times, cpuTimes;
    auto cpuNow = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    std::uniform_int_distribution<std::int64_t> at(0, std::max<std::int64_t>(0, reader.durationNs()));
    std::size_t lastCount = 0;
    for (int i = 0; i < seeks; ++i) {
        const std::int64_t target = at(rng);
        auto s0 = Clock::now();
        const double c0 = cpuNow();
        auto snap = reader.snapshotAt(target);
        cpuTimes.push_back(cpuNow() - c0);
        times.push_back(ms(Clock::now() - s0));
        if (!snap.ok()) {
            std::fprintf(stderr, "bench_session_seek: seek failed: %s\n", snap.error().c_str());
            return 1;
        }
        lastCount = snap->processes.size();
    }
    std::sort(times.begin(), times.end());
    std::sort(cpuTimes.begin(), cpuTimes.end());
    auto pct = [](const std::vector<double>& v, double p) { return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))]; };
    std::printf("RESULT G3_seek median %.3f ms\n", pct(times, 0.5));
    std::printf("RESULT G3_seek p99 %.3f ms\n", pct(times, 0.99));
    std::printf("RESULT G3_seek max %.3f ms\n", times.back());
    std::printf("RESULT G3_seek cpu_median %.3f ms\n", pct(cpuTimes, 0.5));
    std::printf("RESULT G3_seek cpu_p99 %.3f ms\n", pct(cpuTimes, 0.99));
    std::printf("# %d seeks over %.0f s of session; %zu processes in the last snapshot; duration %.1f s\n", seeks,
                double(reader.durationNs()) / 1e9, lastCount, double(reader.durationNs()) / 1e9);
    if (!reader.warnings().empty()) std::printf("# warnings: %s\n", reader.warnings().front().c_str());
    if (!keep) ::unlink(path.c_str());
    return 0;
}
