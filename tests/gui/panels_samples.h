#pragma once
// Realistic sample inputs for the panel tests and the gallery: a five-minute "streams" session that
// ends in a supervisor give-up, records of the Todo system, a herd, a ghost slot, and a diff.
#include "introspection/process_record.h"
#include "views/model/diff_entry.h"
#include "views/model/process_history.h"
#include "views/model/timeline_data.h"
#include <cmath>
#include <vector>

namespace canopy::views::samples {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMs = 1'000'000;

/// Give-up of the streams session (04:12.3) and the resync (02:31.0).
constexpr std::int64_t kGiveUpNs = 252 * kSecond + 300 * kMs;
constexpr std::int64_t kResyncNs = 151 * kSecond;

/// A 5-minute session sampled at 2 Hz: transient fetchers come and go, a consumer falls behind
/// from 03:40 (the mailbox total climbs), a stream supervisor restarts its child until it gives up
/// at 04:12.3 and the tree shrinks. Restarts, abnormal exits, one resync, one give-up.
inline TimelineData streamsTimeline() {
    TimelineData d;
    const std::int64_t end = 300 * kSecond;
    for (std::int64_t t = 0; t <= end; t += 500 * kMs) {
        const double s = static_cast<double>(t) / kSecond;
        std::uint64_t count = 46 + static_cast<std::uint64_t>(4 + 4 * std::sin(s / 7.0)) + (static_cast<int>(s) % 13 < 3 ? 3 : 0);
        std::int64_t mailbox = 4 + static_cast<std::int64_t>(3 + 3 * std::sin(s / 3.0));
        if (s > 220 && s < 252.3) mailbox += static_cast<std::int64_t>((s - 220) * (s - 220) * 0.9);
        if (s >= 252.3) {
            count = 21 + static_cast<std::uint64_t>(2 + 2 * std::sin(s / 5.0));
            mailbox = 2;
        }
        d.appendPoint({t, count, mailbox});
    }
    for (std::int64_t s : {18, 47, 66, 95, 131, 178, 205}) {
        d.appendMarker({s * kSecond + 200 * kMs, TimelineMarkerKind::AbnormalExit, "Streams.InfoFetcher <0.71.0> exited: timeout", 71, 0});
        d.appendMarker({s * kSecond + 210 * kMs, TimelineMarkerKind::Restart, "Streams.InfoFetcher restarted (transient): timeout", 72, 12});
    }
    d.appendMarker({kResyncNs, TimelineMarkerKind::Resync, "resync: the probe's queue overflowed (12 events dropped)", 0, 0});
    for (std::int64_t ms : {241'100, 244'800, 248'200, 250'900}) {
        d.appendMarker({ms * kMs, TimelineMarkerKind::AbnormalExit, "stream_7 <0.140.0> exited: {timeout,{gen_server,call,...}}", 140, 0});
        d.appendMarker({ms * kMs + 5 * kMs, TimelineMarkerKind::Restart, "stream_7 restarted (one_for_all, 2 of 3 in 5 s)", 141, 30});
    }
    d.appendMarker({kGiveUpNs, TimelineMarkerKind::GiveUp, "Streams.StreamSup gave up: stream_7 exited 4 times in 5 s", 0, 30});
    d.durationNs = end;
    return d;
}

/// A Todo.Cache worker.
inline introspection::ProcessRecord workerRecord() {
    introspection::ProcessRecord r;
    r.pid = 42;
    r.pidText = "<0.42.0>";
    r.parent = 10;
    r.name = "Todo.Cache";
    r.childId = "Todo.Cache";
    r.kind = "worker";
    r.restart = "permanent";
    r.shutdown = "5000";
    r.status = "waiting";
    r.initialCall = "Todo.Cache:init/1";
    r.mailboxLength = 17;
    r.messagesHandled = 128'400;
    r.memoryBytes = 21'880;
    r.restartCount = 2;
    r.lastExitReason = "killed";
    r.links = {10, 51, 52};
    r.monitors = {60};
    return r;
}

/// Todo.Supervisor (rest_for_one) at 2 of 3 restarts in 5 s.
inline introspection::ProcessRecord supervisorRecord() {
    introspection::ProcessRecord r;
    r.pid = 10;
    r.pidText = "<0.10.0>";
    r.parent = 0;
    r.name = "Todo.Supervisor";
    r.kind = "supervisor";
    r.strategy = "rest_for_one";
    r.status = "waiting";
    r.initialCall = "supervisor:init/1";
    r.memoryBytes = 6'912;
    r.messagesHandled = 14;
    r.restartsInWindow = 2;
    r.maxRestarts = 3;
    r.maxSeconds = 5;
    r.links = {11, 42, 43};
    return r;
}

/// Twelve Todo.Server children of a dynamic supervisor.
inline std::vector<introspection::ProcessRecord> herdMembers() {
    std::vector<introspection::ProcessRecord> out;
    for (int i = 0; i < 12; ++i) {
        introspection::ProcessRecord r;
        r.pid = 200 + static_cast<std::uint64_t>(i);
        r.pidText = "<0." + std::to_string(r.pid) + ".0>";
        r.parent = 43;
        r.kind = "worker";
        r.restart = "temporary";
        r.status = i % 4 == 0 ? "running" : "waiting";
        r.initialCall = "Todo.Server:init/1";
        r.mailboxLength = i == 7 ? 31 : i % 3;
        r.messagesHandled = 900 + 37 * static_cast<std::uint64_t>(i);
        r.memoryBytes = 3'000 + 120 * static_cast<std::uint64_t>(i);
        out.push_back(r);
    }
    return out;
}

/// Streams.InfoFetcher, a transient child that is not running (a ghost slot).
inline introspection::ProcessRecord ghostRecord() {
    introspection::ProcessRecord r;
    r.pid = 0;
    r.parent = 12;
    r.childId = "Streams.InfoFetcher";
    r.kind = "worker";
    r.restart = "transient";
    r.shutdown = "brutal_kill";
    r.status = "dead";
    r.restartCount = 7;
    r.lastExitReason = "normal";
    return r;
}

/// Mailbox samples over the last minute (a burst around 40 s) and the slot's recent restarts.
inline ProcessHistory workerHistory() {
    ProcessHistory h;
    h.nowNs = 95 * kSecond;
    for (std::int64_t t = 35 * kSecond; t <= h.nowNs; t += 500 * kMs) {
        const double s = static_cast<double>(t) / kSecond;
        std::int64_t len = 2 + static_cast<std::int64_t>(2 + 2 * std::sin(s));
        if (s > 70 && s < 82) len += static_cast<std::int64_t>(40 - std::abs(s - 76) * 6);
        if (s > 90) len = 17;
        h.mailbox.push_back({t, len});
    }
    h.slotEvents.push_back({12 * kSecond, SlotEvent::Kind::Started, 40, "<0.40.0>", 0, {}, {}});
    h.slotEvents.push_back({47 * kSecond + 100 * kMs, SlotEvent::Kind::Restarted, 41, "<0.41.0>", 40, "<0.40.0>", "killed"});
    h.slotEvents.push_back({83 * kSecond + 400 * kMs, SlotEvent::Kind::Restarted, 42, "<0.42.0>", 41, "<0.41.0>",
                            "{badarg,[{Todo.Cache,handle_call,3}]}"});
    return h;
}

/// A herd's recent past: rates and exit reasons.
inline ProcessHistory herdHistory() {
    ProcessHistory h;
    h.nowNs = 95 * kSecond;
    for (std::int64_t t = 35 * kSecond; t <= h.nowNs; t += 1000 * kMs)
        h.mailbox.push_back({t, 30 + static_cast<std::int64_t>(10 * std::sin(static_cast<double>(t) / kSecond / 4.0))});
    h.spawnsPerSecond = 2.4;
    h.exitsPerSecond = 2.1;
    h.exitReasons = {{"normal", 118}, {"shutdown", 9}, {"killed", 2}};
    h.slotEvents.push_back({93 * kSecond, SlotEvent::Kind::Exited, 197, "<0.197.0>", 0, {}, "normal"});
    h.slotEvents.push_back({94 * kSecond, SlotEvent::Kind::Started, 211, "<0.211.0>", 0, {}, {}});
    return h;
}

/// A ghost slot's history: it went 8.5 s before "now".
inline ProcessHistory ghostHistory() {
    ProcessHistory h;
    h.nowNs = 95 * kSecond;
    h.slotEvents.push_back({61 * kSecond, SlotEvent::Kind::Restarted, 88, "<0.88.0>", 87, "<0.87.0>", "timeout"});
    h.slotEvents.push_back({86 * kSecond + 500 * kMs, SlotEvent::Kind::Exited, 88, "<0.88.0>", 0, {}, "normal"});
    return h;
}

/// The diff of the streams session between 01:00 and 04:15.
inline DiffListing streamsDiff() {
    DiffListing l;
    l.labelA = "01:00";
    l.labelB = "04:15";
    l.countA = 52;
    l.countB = 22;
    auto e = [](DiffCategory c, const char* path, std::uint64_t pa, std::uint64_t pb, int ra, int rb, std::int64_t ma,
                std::int64_t mb) {
        DiffEntry x;
        x.category = c;
        x.path = path;
        x.pidBefore = pa;
        x.pidAfter = pb;
        x.pidTextBefore = pa ? "<0." + std::to_string(pa) + ".0>" : "";
        x.pidTextAfter = pb ? "<0." + std::to_string(pb) + ".0>" : "";
        x.restartsBefore = ra;
        x.restartsAfter = rb;
        x.mailboxBefore = ma;
        x.mailboxAfter = mb;
        return x;
    };
    l.entries = {
        e(DiffCategory::Removed, "Streams.Supervisor/Streams.StreamSup", 30, 0, 0, 0, 0, 0),
        e(DiffCategory::Removed, "Streams.Supervisor/Streams.StreamSup/stream_7", 140, 0, 3, 0, 812, 0),
        e(DiffCategory::Removed, "Streams.Supervisor/Streams.StreamSup/stream_8", 141, 0, 0, 0, 3, 0),
        e(DiffCategory::Added, "Streams.Supervisor/Streams.InfoFetcher", 0, 190, 0, 0, 0, 0),
        e(DiffCategory::Restarted, "Streams.Supervisor/Streams.Registry", 20, 188, 0, 1, 0, 0),
        e(DiffCategory::Restarted, "Streams.Supervisor/Streams.Consumer", 21, 189, 1, 2, 0, 0),
        e(DiffCategory::Mailbox, "Streams.Supervisor/Streams.Consumer", 21, 189, 1, 2, 4, 96),
        e(DiffCategory::Mailbox, "Streams.Supervisor/Streams.Stats", 25, 25, 0, 0, 0, 14),
    };
    return l;
}

} // namespace canopy::views::samples
