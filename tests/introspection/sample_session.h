#pragma once
// Test helper: a small supervision tree and a scripted history, as keyframe + deltas.
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/pid_text.h"
#include <vector>

namespace canopy::introspection::testing {

inline ProcessRecord rec(std::uint64_t pid, std::uint64_t parent, std::string childId, std::string kind = "worker",
                         std::string strategy = "") {
    ProcessRecord r;
    r.pid = pid;
    r.pidText = pidText(pid);
    r.parent = parent;
    r.childId = std::move(childId);
    r.kind = std::move(kind);
    r.strategy = std::move(strategy);
    r.startOrder = pid;
    if (r.kind != "worker") {
        r.maxRestarts = 3;
        r.maxSeconds = 5;
    }
    return r;
}

/// app_sup (one_for_one) -> registry, workers (dynamic) -> w1, w2. Taken at startNs, seq 0.
inline Keyframe sampleKeyframe(std::int64_t startNs) {
    Keyframe k;
    k.seq = 0;
    k.timeNs = startNs;
    k.processes = {rec(1, 0, "app_sup", "supervisor", "one_for_one"), rec(2, 1, "registry"),
                   rec(3, 1, "workers", "dynamic_supervisor", "one_for_one"), rec(4, 3, ""), rec(5, 3, "")};
    k.processes[1].name = "registry";
    k.processes[3].initialCall = "Worker";
    k.processes[4].initialCall = "Worker";
    return k;
}

/// sampleKeyframe() plus `workers` more workers under the dynamic supervisor (pids 100 and up), each
/// with a long initial call (~100 bytes a process encoded: 12000 of them make a frame over 1 MiB, which
/// a viewer receives straight into the frame's own buffer).
inline Keyframe bigKeyframe(std::int64_t startNs, std::size_t workers, std::uint64_t seq = 0) {
    Keyframe k = sampleKeyframe(startNs);
    k.seq = seq;
    for (std::size_t i = 0; i < workers; ++i) {
        ProcessRecord r = rec(100 + i, 3, "");
        r.initialCall = "Canopy.Tests.BigKeyframe.Worker.with_a_long_module_name_to_fill_the_frame:init/1";
        k.processes.push_back(std::move(r));
    }
    return k;
}

inline Delta delta(std::uint64_t seq, std::int64_t t, DeltaType type, std::uint64_t pid, std::uint64_t peer,
                   std::string text = "", std::string reason = "") {
    Delta d;
    d.seq = seq;
    d.timeNs = t;
    d.type = type;
    d.pid = pid;
    d.peer = peer;
    d.text = std::move(text);
    d.reason = std::move(reason);
    return d;
}

/// History after the keyframe (start + 1 s ... + 4 s): the registry crashes and is restarted as
/// pid 6 at +1 s; a worker 7 is spawned at +2 s; worker 4 exits at +3 s; registry (6) crashes again
/// and is restarted as 8 at +4 s.
inline std::vector<Delta> sampleDeltas(std::int64_t startNs) {
    const std::int64_t s = 1'000'000'000;
    std::vector<Delta> v;
    v.push_back(delta(1, startNs + 1 * s, DeltaType::Exit, 2, 0, "", "boom"));
    v.push_back(delta(2, startNs + 1 * s + 10, DeltaType::Spawn, 6, 1, "Registry"));
    auto r = delta(3, startNs + 1 * s + 20, DeltaType::ChildRestarted, 6, 1, "registry");
    r.strategy = "one_for_one";
    r.restartsInWindow = 1;
    r.maxRestarts = 3;
    r.maxSeconds = 5;
    v.push_back(r);
    v.push_back(delta(4, startNs + 1 * s + 30, DeltaType::NameRegistered, 6, 0, "registry"));
    v.push_back(delta(5, startNs + 2 * s, DeltaType::Spawn, 7, 3, "Worker"));
    v.push_back(delta(6, startNs + 2 * s + 10, DeltaType::ChildStarted, 7, 3, ""));
    v.push_back(delta(7, startNs + 3 * s, DeltaType::Exit, 4, 0, "", "normal"));
    v.push_back(delta(8, startNs + 4 * s, DeltaType::Exit, 6, 0, "", "boom again"));
    v.push_back(delta(9, startNs + 4 * s + 10, DeltaType::Spawn, 8, 1, "Registry"));
    auto r2 = delta(10, startNs + 4 * s + 20, DeltaType::ChildRestarted, 8, 1, "registry");
    r2.restartsInWindow = 2;
    r2.maxRestarts = 3;
    r2.maxSeconds = 5;
    v.push_back(r2);
    return v;
}

} // namespace canopy::introspection::testing
