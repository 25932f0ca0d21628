#pragma once
#include "runtime/gen_server.h"
#include "runtime/pid.h"
#include "runtime/runtime.h"
#include "introspection/probe/probe_options.h"
#include "runtime/supervision/supervisor.h"
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace canopy::introspection::test {

/// An idle gen_server worker.
struct Idle : GenServer {};

/// A runtime of two workers (the probe tests' machine, whatever it has).
inline RuntimeOptions twoWorkers() {
    RuntimeOptions o;
    o.workers = 2;
    return o;
}

/// Probe options whose token, token file and flight-recorder dumps stay in directory `dir`.
/// (A plain path: probe_fault_child includes this header and links no Qt.)
inline ProbeOptions optionsIn(const std::string& dir) {
    ProbeOptions o;
    o.token = "s3cret";
    o.tokenFile = dir + "/token";
    o.flightRecorderDir = dir;
    return o;
}

/// Polls `pred` until it holds or `ms` passed (a deadline, not a sleep).
inline bool waitUntil(const std::function<bool()>& pred, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

/// The pid of static supervisor `sup`'s child `id` (invalid when it has none running).
inline Pid childPid(Runtime& rt, const Pid& sup, const std::string& id) {
    for (const auto& c : Supervisor::whichChildren(rt, sup))
        if (c.id == id) return c.pid;
    return {};
}

/// Waits until `sup` runs a new child `id` other than `old`.
inline bool waitRestarted(Runtime& rt, const Pid& sup, const std::string& id, const Pid& old, int ms = 5000) {
    return waitUntil(
        [&] {
            const Pid now = childPid(rt, sup, id);
            return now.valid() && now != old;
        },
        ms);
}

} // namespace canopy::introspection::test
