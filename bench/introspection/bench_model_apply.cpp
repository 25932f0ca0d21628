// Applying a 100k-process keyframe to the session model (with its change set): the model's share of
// "connect -> 100k keyframe in the model" (issue 9). Also a keyframe over an identical known tree (a
// resync: must report nothing and stay cheap), a resync after churn (1% of the workers replaced:
// their supervisors' long link lists differ), and one delta storm (restarts + exits + spawns).
// Usage: bench_model_apply [--processes N] [--rounds R]
// Prints RESULT model_apply_keyframe_100k ms <median> ms (wall; also cpu_ms, this thread's CPU time,
// the better figure on a loaded machine), RESULT model_resync_keyframe_100k ms/cpu_ms,
// RESULT model_resync_churned_keyframe_100k ms/cpu_ms, and
// RESULT model_apply_delta ns <per delta> ns.
#include "introspection/session_model.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace canopy::introspection;
using Clock = std::chrono::steady_clock;

namespace {
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

/// This thread's CPU time in ms (on a loaded machine the wall time also counts time spent waiting for a core).
double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// A root supervisor, 10 static shard supervisors, each with a dynamic supervisor of N/10 workers
/// (the shape of a big pool), as a probe sends it (start order = pid, printed pid omitted).
Keyframe makeKeyframe(std::size_t n) {
    Keyframe k;
    k.timeNs = 1'000'000'000;
    k.processes.reserve(n);
    auto add = [&](std::uint64_t pid, std::uint64_t parent, std::string childId, std::string kind, std::string call) {
        ProcessRecord r;
        r.pid = pid;
        r.parent = parent;
        r.childId = std::move(childId);
        r.kind = std::move(kind);
        r.initialCall = std::move(call);
        r.startOrder = pid;
        r.status = "waiting";
        if (parent) r.links = {parent};
        if (r.kind != "worker") {
            r.strategy = "one_for_one";
            r.maxRestarts = 3;
            r.maxSeconds = 5;
        }
        k.processes.push_back(std::move(r));
    };
    add(1, 0, "", "supervisor", "App.Supervisor:init/1");
    std::uint64_t pid = 2;
    const std::size_t shards = 10;
    const std::size_t perShard = (n - 1 - 2 * shards) / shards;
    for (std::size_t s = 0; s < shards; ++s) {
        const std::uint64_t shard = pid++, pool = pid++;
        add(shard, 1, "shard_" + std::to_string(s), "supervisor", "Shard.Supervisor:init/1");
        add(pool, shard, "pool", "dynamic_supervisor", "Pool.Supervisor:init/1");
        for (std::size_t w = 0; w < perShard; ++w) add(pid++, pool, "", "worker", "Pool.Worker:init/1");
    }
    // A supervisor is linked to each of its children (a pool of 10k: a list of 10k links).
    for (std::size_t i = 1; i < k.processes.size(); ++i) k.processes[k.processes[i].parent - 1].links.push_back(k.processes[i].pid);
    return k;
}

/// The same tree after churn: every 100th worker replaced by a new process (new pid, same place).
Keyframe churned(const Keyframe& proto) {
    Keyframe k = proto;
    for (std::size_t i = 100; i < k.processes.size(); i += 100) {
        ProcessRecord& r = k.processes[i];
        if (r.kind != "worker") continue;
        const std::uint64_t old = r.pid;
        r.pid = old + 50'000'000;
        auto& links = k.processes[r.parent - 1].links;
        std::replace(links.begin(), links.end(), old, r.pid);
    }
    return k;
}
} // namespace

int main(int argc, char** argv) {
    std::size_t n = 100'000;
    int rounds = 7;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--processes" && i + 1 < argc) n = std::strtoul(argv[++i], nullptr, 10);
        else if (a == "--rounds" && i + 1 < argc) rounds = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "bench_model_apply: unknown argument %s (--processes N, --rounds R)\n", a.c_str());
            return 2;
        }
    }
    if (n < 100 || rounds < 1) {
        std::fprintf(stderr, "bench_model_apply: --processes >= 100, --rounds >= 1\n");
        return 2;
    }
    const Keyframe proto = makeKeyframe(n);
    const Keyframe afterChurn = churned(proto);
    std::vector<double> fresh, resync, freshCpu, resyncCpu, churn, churnCpu;
    std::size_t reported = 0;
    for (int r = 0; r < rounds; ++r) {
        Keyframe k = proto; // the decoder hands over a fresh keyframe; copying it is not timed
        SessionModel model;
        model.setStartNs(1'000'000'000);
        ChangeSet c;
        auto t0 = Clock::now();
        double c0 = cpuMs();
        model.applyKeyframe(std::move(k), &c);
        fresh.push_back(ms(Clock::now() - t0));
        freshCpu.push_back(cpuMs() - c0);
        Keyframe same = proto;
        ChangeSet again;
        t0 = Clock::now();
        c0 = cpuMs();
        model.applyKeyframe(std::move(same), &again);
        resync.push_back(ms(Clock::now() - t0));
        resyncCpu.push_back(cpuMs() - c0);
        reported += again.spawned.size() + again.exited.size() + again.updated.size();
        Keyframe next = afterChurn;
        ChangeSet changed;
        t0 = Clock::now();
        c0 = cpuMs();
        model.applyKeyframe(std::move(next), &changed);
        churn.push_back(ms(Clock::now() - t0));
        churnCpu.push_back(cpuMs() - c0);
        if (changed.spawned.empty() || changed.spawned.size() != changed.exited.size() ||
            changed.linked.size() != changed.spawned.size()) {
            std::fprintf(stderr, "bench_model_apply: the churned keyframe reported %zu spawned, %zu exited, %zu linked\n",
                         changed.spawned.size(), changed.exited.size(), changed.linked.size());
            return 1;
        }
        if (!c.reset || model.snapshot().processes.size() != proto.processes.size()) {
            std::fprintf(stderr, "bench_model_apply: the model did not take the keyframe\n");
            return 1;
        }
    }
    if (reported != 0) {
        std::fprintf(stderr, "bench_model_apply: an identical keyframe reported %zu changes\n", reported);
        return 1;
    }
    // Deltas: a chaos-like stream over the big tree (exit + spawn + child_started of pool workers).
    SessionModel model;
    model.applyKeyframe(Keyframe(proto));
    std::vector<Delta> deltas;
    std::uint64_t seq = 0, next = 10'000'000;
    for (std::size_t i = 0; i < 30'000; ++i) {
        const ProcessRecord& victim = proto.processes[100 + (i * 7919) % (proto.processes.size() - 200)];
        if (victim.kind != "worker") continue;
        Delta e;
        e.seq = ++seq;
        e.timeNs = 2'000'000'000 + std::int64_t(seq);
        e.type = DeltaType::Exit;
        e.pid = victim.pid;
        e.reason = "chaos";
        deltas.push_back(e);
        Delta sp;
        sp.seq = ++seq;
        sp.timeNs = e.timeNs + 1;
        sp.type = DeltaType::Spawn;
        sp.pid = next++;
        sp.peer = victim.parent;
        sp.text = "Pool.Worker:init/1";
        deltas.push_back(sp);
    }
    auto t0 = Clock::now();
    std::size_t applied = 0;
    for (const auto& d : deltas) {
        ChangeSet c;
        applied += model.applyDelta(d, &c) == SessionModel::Apply::Applied;
    }
    const double perDeltaNs = ms(Clock::now() - t0) * 1e6 / double(deltas.size());
    for (auto* v : {&fresh, &resync, &freshCpu, &resyncCpu, &churn, &churnCpu}) std::sort(v->begin(), v->end());
    std::printf("# %zu processes, %d rounds; %zu deltas (%zu applied)\n", proto.processes.size(), rounds, deltas.size(), applied);
    std::printf("RESULT model_apply_keyframe_100k ms %.2f ms\n", fresh[fresh.size() / 2]);
    std::printf("RESULT model_apply_keyframe_100k cpu_ms %.2f ms\n", freshCpu[freshCpu.size() / 2]);
    std::printf("RESULT model_resync_keyframe_100k ms %.2f ms\n", resync[resync.size() / 2]);
    std::printf("RESULT model_resync_keyframe_100k cpu_ms %.2f ms\n", resyncCpu[resyncCpu.size() / 2]);
    std::printf("RESULT model_resync_churned_keyframe_100k ms %.2f ms\n", churn[churn.size() / 2]);
    std::printf("RESULT model_resync_churned_keyframe_100k cpu_ms %.2f ms\n", churnCpu[churnCpu.size() / 2]);
    std::printf("RESULT model_apply_delta ns %.0f ns\n", perDeltaNs);
    return 0;
}
