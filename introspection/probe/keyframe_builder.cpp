#include "introspection/probe/keyframe_builder.h"
#include "introspection/probe/keyframe_encoder.h"
#include "runtime/pid.h"
#include "runtime/runtime.h"
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy::introspection {

ProcessRecord KeyframeBuilder::toRecord(const ProcessView& v) {
    ProcessRecord r;
    r.pid = v.pid;
    // pidText stays empty: it is the default printed form, which decoders fill in.
    r.parent = v.parent;
    r.name = std::string(v.registeredName);
    r.initialCall = std::string(v.initialCall);
    r.status = std::string(toString(v.status));
    r.mailboxLength = v.mailboxLength;
    r.messagesHandled = v.messagesHandled;
    r.memoryBytes = v.memoryBytes;
    r.links.assign(v.links.begin(), v.links.end());
    r.monitors.assign(v.monitors.begin(), v.monitors.end());
    r.startOrder = v.pid;
    KeyframeEncoder::sanitizeUtf8(r.name);
    KeyframeEncoder::sanitizeUtf8(r.initialCall);
    if (const ChildMeta* m = v.meta) {
        r.childId = m->childId;
        r.kind = std::string(toString(m->kind));
        r.restart = m->restart;
        r.shutdown = m->shutdown;
        r.significant = m->significant;
        r.strategy = m->strategy;
        KeyframeEncoder::sanitizeUtf8(r.childId);
        r.maxRestarts = m->maxRestarts;
        r.maxSeconds = m->maxSeconds;
        r.restartsInWindow = v.restartsInWindow;
        if (m->kind != ProcessKind::Worker) r.restartStamps = m->restartTimes();
    }
    return r;
}

Keyframe KeyframeBuilder::build(const Runtime& rt, std::uint64_t root) {
    Keyframe kf;
    kf.timeNs = rt.clock().nowNs();
    kf.processes.reserve(rt.processCount() + 64);
    rt.forEachProcessView([&](const ProcessView& view) { kf.processes.push_back(toRecord(view)); });
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
