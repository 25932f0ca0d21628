// G3: seek to any moment of a one-hour session of a busy system (millions of events).
// Writes a synthetic session (default: 1 h, 1,000 structural deltas/s = 3.6 M deltas, 1 Hz samples,
// a tree of ~2,000 processes; --processes 100000 for the big one), with the writer's own keyframe
// cadence, then times seeks to random moments: SessionReader::seek into a SessionModel, until the
// model is at that moment (a fresh model each time: the cold seek of a click on the timeline),
// after one opening seek to the start, timed apart (RESULT <NAME> open_seek_ms), as a viewer makes
// when it opens the file.
// With --timeline it also times reading the whole timeline of the file (open + summaries + give-ups).
// Usage: bench_session_seek [--hours H] [--rate DELTAS_PER_S] [--processes N] [--seeks N]
//                           [--file PATH] [--keep] [--reuse] [--name NAME] [--timeline] [--each]
// --reuse keeps an existing file written with the same parameters (a cache: generating the 100k
// session takes minutes). Prints RESULT lines: file size, write throughput, open time, seek
// p50/p99/max (wall and CPU), and `RESULT <NAME> p99_ms <ms>` when --name is given. --each prints
// one line per seek: the moment, how far after its keyframe, the deltas replayed, wall and CPU ms, and
// a digest of the model it reached (the same seeks must give the same digests before and after a change).
#include "bench/introspection/bench_timing.h"
#include "introspection/codec.h"
#include "introspection/pid_text.h"
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace canopy::introspection;
using canopy::bench::ms;
using canopy::bench::percentile;
using canopy::bench::threadCpuMs;
using Clock = std::chrono::steady_clock;

namespace {

/// The session's description, stored as the header's source: --reuse keeps a file only if it matches.
std::string describe(double hours, double rate, std::size_t processes) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "synthetic G3 hours=%g rate=%g processes=%zu v4", hours, rate, processes);
    return buf;
}

/// FNV-1a over the model's whole state as a session writer sees it (records, slot history, ghosts:
/// makeKeyframe) and its child index in sibling order.
std::uint64_t digest(const SessionModel& model) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
    for (std::uint8_t b : Codec::encodePayload(model.makeKeyframe(), Encoding::Cbor)) mix(b);
    mix(std::uint64_t(model.snapshot().timeNs));
    const TreeSnapshot& s = model.snapshot();
    for (const auto& e : s.index().roots()) mix(e.pid);
    for (const auto& [pid, r] : s.processes) {
        mix(pid);
        for (const auto& e : s.children(pid)) mix(e.pid);
    }
    return h;
}

bool reusable(const std::string& path, const std::string& source) {
    SessionReader r;
    return r.open(path).ok() && !r.indexRebuilt() && r.header().source == source && r.timelineInIndex();
}

int write(const std::string& path, const std::string& source, double hours, double rate, std::size_t processes) {
    const std::int64_t start = 1'000'000'000;
    const std::uint64_t totalDeltas = static_cast<std::uint64_t>(hours * 3600 * rate);
    const std::int64_t stepNs = static_cast<std::int64_t>(1e9 / rate);
    // A root supervisor over S supervisors of W workers each (with the links the runtime reports);
    // the churn: a worker crashes and is restarted (3 deltas: exit, spawn, child_restarted).
    const std::size_t sups = std::max<std::size_t>(20, processes / 1000);
    const std::size_t perSup = std::max<std::size_t>(1, processes / sups); // 2000: 20 x 100 (+ 21 supervisors)
    std::mt19937_64 rng(42);
    SessionWriter writer;
    SessionHeader header;
    header.startNs = start;
    header.source = source;
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
            r.shutdown = "infinity";
        } else {
            r.initialCall = "worker:init/1";
            r.shutdown = "5000";
            r.links = {parent};
        }
        k.processes.push_back(r);
        return r.pid;
    };
    const std::uint64_t root = add(0, "root_sup", "supervisor");
    std::vector<std::uint64_t> supPids;
    std::vector<std::vector<std::uint64_t>> workers; // current pid per (sup, slot)
    k.processes.reserve(1 + sups * (perSup + 1));
    for (std::size_t s = 0; s < sups; ++s) {
        supPids.push_back(add(root, "sup_" + std::to_string(s), "supervisor"));
        const std::size_t supIndex = k.processes.size() - 1;
        workers.emplace_back();
        for (std::size_t w = 0; w < perSup; ++w) {
            workers.back().push_back(add(supPids.back(), "worker_" + std::to_string(w), "worker"));
            k.processes[supIndex].links.push_back(workers.back().back());
        }
    }
    const std::size_t liveCount = k.processes.size();
    writer.write(k);
    std::uint64_t seq = 0;
    std::int64_t t = start;
    std::int64_t nextSample = start + 1'000'000'000;
    while (seq < totalDeltas) {
        t += stepNs * 3;
        const std::size_t s = rng() % supPids.size();
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
        d.peer = supPids[s];
        d.text = "worker:init/1";
        writer.write(d);
        d = Delta{};
        d.timeNs = t + 2000;
        d.seq = ++seq;
        d.type = DeltaType::ChildRestarted;
        d.pid = fresh;
        d.peer = supPids[s];
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
            smp.processCount = liveCount;
            smp.messageRate = 50000;
            for (int i = 0; i < 50; ++i)
                smp.mailboxes.push_back({workers[rng() % sups][rng() % perSup], std::int64_t(rng() % 100)});
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
    std::printf("RESULT G3_session_write deltas %llu count\n", (unsigned long long)seq);
    std::printf("RESULT G3_session_write keyframes %zu count\n", index.entries.size());
    std::printf("RESULT G3_session_write throughput %.0f deltas/s\n", double(seq) / (writeMs / 1000.0));
    std::printf("# wrote %s in %.1f s\n", path.c_str(), writeMs / 1000.0);
    return 0;
}
} // namespace

int main(int argc, char** argv) {
    double hours = 1.0;
    double rate = 1000;
    std::size_t processes = 2000;
    int seeks = 200;
    std::string path;
    std::string name;
    bool keep = false, reuse = false, timeline = false, each = false;
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
        else if (a == "--processes") processes = std::size_t(std::atol(next()));
        else if (a == "--seeks") seeks = std::atoi(next());
        else if (a == "--file") path = next();
        else if (a == "--name") name = next();
        else if (a == "--keep") keep = true;
        else if (a == "--reuse") reuse = keep = true;
        else if (a == "--timeline") timeline = true;
        else if (a == "--each") each = true;
        else {
            std::fprintf(stderr, "bench_session_seek: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    if (hours <= 0 || rate <= 0 || seeks <= 0 || processes < 100) {
        std::fprintf(stderr, "bench_session_seek: --hours, --rate, --seeks must be positive, --processes >= 100\n");
        return 2;
    }
    if (path.empty()) path = "/tmp/canopy-g3-" + std::to_string(::getpid()) + ".canopy";
    const std::string source = describe(hours, rate, processes);
    if (reuse && reusable(path, source)) {
        std::printf("# reusing %s (%s)\n", path.c_str(), source.c_str());
    } else if (int rc = write(path, source, hours, rate, processes); rc != 0) {
        return rc;
    }
    struct stat st {};
    ::stat(path.c_str(), &st);
    std::printf("RESULT G3_session_write file_size %.1f MiB\n", double(st.st_size) / 1048576.0);

    auto o0 = Clock::now();
    SessionReader reader;
    if (auto s = reader.open(path); !s) {
        std::fprintf(stderr, "bench_session_seek: %s\n", s.error().c_str());
        return 1;
    }
    std::printf("RESULT G3_session_open time %.3f ms\n", ms(Clock::now() - o0));
    if (timeline) {
        // The whole timeline of the file, as a viewer opening it reads it: open + summaries + give-ups.
        std::vector<double> t;
        std::size_t intervals = 0;
        for (int i = 0; i < 9; ++i) {
            const auto t1 = Clock::now();
            SessionReader r;
            if (!r.open(path).ok()) return 1;
            intervals = r.timeline().size() + r.giveUps().size();
            t.push_back(ms(Clock::now() - t1));
        }
        std::printf("# timeline: %zu intervals, in the index: %s\n", intervals, reader.timelineInIndex() ? "yes" : "no");
        std::printf("RESULT timeline_1h summary_ms %.2f ms\n", percentile(t, 0.5));
    }
    // A viewer opening the file seeks to its start before any click on the timeline: that first
    // seek of the process also pays for faulting in its heap and buffers (~24k page faults at 100k
    // processes, ~150 ms on this VM), so it is timed apart, not as one of the random seeks.
    {
        const auto o0 = Clock::now();
        SessionModel model;
        if (!reader.seek(0, model).ok()) {
            std::fprintf(stderr, "bench_session_seek: the opening seek failed\n");
            return 1;
        }
        const double openMs = ms(Clock::now() - o0);
        std::printf("RESULT G3_seek open_seek %.3f ms\n", openMs);
        if (!name.empty()) std::printf("RESULT %s open_seek_ms %.1f ms\n", name.c_str(), openMs);
    }
    std::vector<double> times, cpuTimes;
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> at(0, std::max<std::int64_t>(0, reader.durationNs()));
    std::size_t lastCount = 0;
    for (int i = 0; i < seeks; ++i) {
        const std::int64_t target = at(rng);
        auto s0 = Clock::now();
        const double c0 = threadCpuMs();
        SessionModel model;
        auto r = reader.seek(target, model);
        cpuTimes.push_back(threadCpuMs() - c0);
        times.push_back(ms(Clock::now() - s0));
        if (!r.ok()) {
            std::fprintf(stderr, "bench_session_seek: seek failed: %s\n", r.error().c_str());
            return 1;
        }
        lastCount = model.snapshot().processes.size();
        if (each) {
            const auto& entries = reader.index();
            const std::int64_t moment = reader.startNs() + target;
            auto k = std::upper_bound(entries.begin(), entries.end(), moment,
                                      [](std::int64_t t, const IndexEntry& e) { return t < e.timeNs; });
            const double since = k == entries.begin() ? 0.0 : double(moment - std::prev(k)->timeNs) / 1e9;
            std::printf("# seek %d at %.3f s: %.3f s after its keyframe, %llu deltas, wall %.1f ms, cpu %.1f ms, digest %016llx\n",
                        i, double(target) / 1e9, since, (unsigned long long)model.deltasApplied(), times.back(),
                        cpuTimes.back(), (unsigned long long)digest(model));
        }
    }
    std::printf("RESULT G3_seek median %.3f ms\n", percentile(times, 0.5));
    std::printf("RESULT G3_seek p99 %.3f ms\n", percentile(times, 0.99));
    std::printf("RESULT G3_seek max %.3f ms\n", percentile(times, 1.0));
    std::printf("RESULT G3_seek cpu_median %.3f ms\n", percentile(cpuTimes, 0.5));
    std::printf("RESULT G3_seek cpu_p99 %.3f ms\n", percentile(cpuTimes, 0.99));
    if (!name.empty()) {
        std::printf("RESULT %s p50_ms %.1f ms\n", name.c_str(), percentile(times, 0.5));
        std::printf("RESULT %s p99_ms %.1f ms\n", name.c_str(), percentile(times, 0.99));
    }
    std::printf("# %d seeks over %.0f s of session; %zu processes in the last model; %zu keyframes\n", seeks,
                double(reader.durationNs()) / 1e9, lastCount, reader.index().size());
    if (!reader.warnings().empty()) std::printf("# warnings: %s\n", reader.warnings().front().c_str());
    if (!keep) ::unlink(path.c_str());
    return 0;
}
