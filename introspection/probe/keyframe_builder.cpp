#include "introspection/probe/keyframe_builder.h"
#include "introspection/probe/keyframe_encoder.h"
#include "runtime/pid.h"
#include "runtime/runtime.h"
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy::introspection {

ProcessRecord KeyframeBuilder::toRecord(const ProcessInfo& info) {
    ProcessRecord r;
    r.pid = info.pid;
    // pidText stays empty: it is the default printed form, which decoders fill in.
    r.parent = info.parent;
    r.name = info.registeredName;
    r.initialCall = info.initialCall;
    r.status = std::string(toString(info.status));
    r.mailboxLength = info.mailboxLength;
    r.messagesHandled = info.messagesHandled;
    r.memoryBytes = info.memoryBytes;
    r.links = info.links;
    r.monitors = info.monitors;
    r.startOrder = info.pid;
    KeyframeEncoder::sanitizeUtf8(r.name);
    KeyframeEncoder::sanitizeUtf8(r.initialCall);
    if (info.hasMeta) {
        r.childId = info.childId;
        r.kind = std::string(toString(info.kind));
        r.restart = info.restart;
        r.shutdown = info.shutdown;
        r.significant = info.significant;
        r.strategy = info.strategy;
        KeyframeEncoder::sanitizeUtf8(r.childId);
        r.maxRestarts = info.maxRestarts;
        r.maxSeconds = info.maxSeconds;
        r.restartsInWindow = info.restartsInWindow;
    }
    return r;
}

Keyframe KeyframeBuilder::build(const Runtime& rt, std::uint64_t root) {
    Keyframe kf;
    kf.timeNs = rt.clock().nowNs();
    kf.processes.reserve(rt.processCount() + 64);
    rt.forEachProcess([&](const ProcessInfo& info) { kf.processes.push_back(toRecord(info)); });
    if (root == 0) return kf;
    // Keep root and its descendants: walk each record's parent chain (memoised).
    std::unordered_map<std::uint64_t, std::uint64_t> parentOf;
    parentOf.reserve(kf.processes.size());
    for (const auto& r : kf.processes) parentOf.emplace(r.pid, r.parent);
    std::unordered_map<std::uint64_t, bool> inside;
    inside.reserve(kf.processes.size());
    std::vector<std::uint64_t> chain;
    auto isInside = [&](std::uint64_t pid) {
        chain.clear();
        bool result = false;
        std::uint64_t p = pid;
        for (std::size_t guard = 0; guard <= parentOf.size(); ++guard) {
            if (p == root) { result = true; break; }
            auto memo = inside.find(p);
            if (memo != inside.end()) { result = memo->second; break; }
            chain.push_back(p);
            auto it = parentOf.find(p);
            if (it == parentOf.end() || it->second == 0 || it->second == p) break;
            p = it->second;
        }
        for (auto c : chain) inside[c] = result;
        return result;
    };
    std::vector<ProcessRecord> kept;
    for (auto& r : kf.processes)
        if (isInside(r.pid)) kept.push_back(std::move(r));
    kf.processes = std::move(kept);
    return kf;
}

} // namespace canopy::introspection
