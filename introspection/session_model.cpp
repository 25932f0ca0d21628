#include "introspection/session_model.h"
#include "introspection/saturating.h"
#include "introspection/pid_text.h"
#include <algorithm>

namespace canopy::introspection {

void SessionModel::assumeEmpty() {
    m_snapshot = TreeSnapshot{};
    m_hasBase = true;
    m_needKeyframe = false;
    m_acceptAnySeq = true;
}

void SessionModel::touch(std::int64_t timeNs) {
    if (timeNs > m_lastTimeNs || m_lastTimeNs == 0) m_lastTimeNs = timeNs;
    m_snapshot.timeNs = saturating::sub(m_lastTimeNs, m_startNs);
}

void SessionModel::applyKeyframe(const Keyframe& keyframe) {
    TreeSnapshot fresh;
    fresh.seq = keyframe.seq;
    fresh.messageRate = m_snapshot.messageRate;
    std::uint64_t maxOrder = 0;
    std::int64_t total = 0;
    for (const auto& slot : keyframe.childSlots) {
        SlotKey key{slot.supervisor, slot.childId};
        int& n = m_restarts[key];
        n = std::max(n, slot.restarts);
        if (!slot.lastExit.empty()) m_lastExit[key] = slot.lastExit;
    }
    for (const auto& r : keyframe.processes) {
        ProcessRecord& rec = fresh.processes[r.pid];
        rec = r;
        if (rec.pidText.empty()) rec.pidText = pidText(r.pid);
        maxOrder = std::max(maxOrder, r.startOrder);
        total += r.mailboxLength;
        if (r.parent != 0 && !r.childId.empty()) {
            SlotKey key{r.parent, r.childId};
            int& n = m_restarts[key];
            n = std::max(n, r.restartCount);
            rec.restartCount = n;
            if (rec.lastExitReason.empty()) {
                auto it = m_lastExit.find(key);
                if (it != m_lastExit.end()) rec.lastExitReason = it->second;
            }
        }
    }
    fresh.totalMailbox = total;
    m_snapshot = std::move(fresh);
    m_nextOrder = std::max(m_nextOrder, maxOrder + 1);
    m_hasBase = true;
    m_needKeyframe = false;
    m_acceptAnySeq = false;
    m_lastTimeNs = 0;
    touch(keyframe.timeNs);
}

ProcessRecord& SessionModel::upsert(std::uint64_t pid) {
    auto [it, inserted] = m_snapshot.processes.try_emplace(pid);
    if (inserted) {
        it->second.pid = pid;
        it->second.pidText = pidText(pid);
        it->second.startOrder = m_nextOrder++;
    }
    return it->second;
}

void SessionModel::mergeRecord(ProcessRecord& into, const ProcessRecord& from) {
    const std::uint64_t order = into.startOrder;
    const int restarts = into.restartCount;
    const std::string lastExit = into.lastExitReason;
    const std::uint64_t parent = into.parent;
    into = from;
    into.pid = from.pid ? from.pid : into.pid;
    if (into.pidText.empty()) into.pidText = pidText(into.pid);
    if (from.startOrder == 0) into.startOrder = order;
    if (from.parent == 0) into.parent = parent;
    into.restartCount = std::max(restarts, from.restartCount);
    if (from.lastExitReason.empty()) into.lastExitReason = lastExit;
}

void SessionModel::removeLink(std::uint64_t a, std::uint64_t b) {
    auto it = m_snapshot.processes.find(a);
    if (it == m_snapshot.processes.end()) return;
    auto& v = it->second.links;
    v.erase(std::remove(v.begin(), v.end(), b), v.end());
}

SessionModel::Apply SessionModel::applyDelta(const Delta& d) {
    if (!m_hasBase || m_needKeyframe) return Apply::NeedKeyframe;
    if (m_acceptAnySeq) {
        m_acceptAnySeq = false;
    } else if (d.seq <= m_snapshot.seq) {
        return Apply::Stale;
    } else if (d.seq != m_snapshot.seq + 1) {
        m_needKeyframe = true;
        ++m_gaps;
        return Apply::Gap;
    }
    m_snapshot.seq = d.seq;
    ++m_deltasApplied;
    touch(d.timeNs);
    auto& procs = m_snapshot.processes;
    switch (d.type) {
    case DeltaType::Spawn: {
        ProcessRecord& r = upsert(d.pid);
        if (d.process) mergeRecord(r, *d.process);
        if (r.parent == 0) r.parent = d.peer;
        if (r.initialCall.empty()) r.initialCall = d.text;
        break;
    }
    case DeltaType::Exit: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        const ProcessRecord& r = it->second;
        if (r.parent != 0 && !r.childId.empty()) m_lastExit[{r.parent, r.childId}] = d.reason;
        for (std::uint64_t peer : r.links) removeLink(peer, d.pid);
        m_snapshot.totalMailbox -= r.mailboxLength;
        procs.erase(it);
        break;
    }
    case DeltaType::Link:
    case DeltaType::Unlink: {
        for (auto [a, b] : {std::pair{d.pid, d.peer}, std::pair{d.peer, d.pid}}) {
            auto it = procs.find(a);
            if (it == procs.end()) continue;
            auto& v = it->second.links;
            bool has = std::find(v.begin(), v.end(), b) != v.end();
            if (d.type == DeltaType::Link && !has) v.push_back(b);
            if (d.type == DeltaType::Unlink && has) v.erase(std::remove(v.begin(), v.end(), b), v.end());
        }
        break;
    }
    case DeltaType::Monitor:
    case DeltaType::Demonitor: {
        auto it = procs.find(d.pid);
        if (it == procs.end()) break;
        auto& v = it->second.monitors;
        bool has = std::find(v.begin(), v.end(), d.peer) != v.end();
        if (d.type == DeltaType::Monitor && !has) v.push_back(d.peer);
        if (d.type == DeltaType::Demonitor && has) v.erase(std::remove(v.begin(), v.end(), d.peer), v.end());
        break;
    }
    case DeltaType::NameRegistered: {
        auto it = procs.find(d.pid);
        if (it != procs.end()) it->second.name = d.text;
        break;
    }
    case DeltaType::NameUnregistered: {
        auto it = procs.find(d.pid);
        if (it != procs.end() && it->second.name == d.text) it->second.name.clear();
        break;
    }
    case DeltaType::ChildStarted:
    case DeltaType::ChildRestarted: {
        ProcessRecord& r = upsert(d.pid);
        if (d.process) mergeRecord(r, *d.process);
        if (d.peer) r.parent = d.peer;
        if (!d.text.empty()) r.childId = d.text;
        if (d.type == DeltaType::ChildRestarted) {
            SlotKey key{r.parent, r.childId};
            int& n = m_restarts[key];
            ++n;
            r.restartCount = std::max(r.restartCount, n);
            auto le = m_lastExit.find(key);
            if (le != m_lastExit.end() && r.lastExitReason.empty()) r.lastExitReason = le->second;
            auto sup = procs.find(d.peer);
            if (sup != procs.end()) {
                sup->second.restartsInWindow = d.restartsInWindow;
                if (d.maxRestarts) sup->second.maxRestarts = d.maxRestarts;
                if (d.maxSeconds) sup->second.maxSeconds = d.maxSeconds;
                if (!d.strategy.empty()) sup->second.strategy = d.strategy;
            }
        }
        break;
    }
    case DeltaType::ChildTerminated:
    case DeltaType::ShutdownError: {
        std::string id = d.text;
        auto it = procs.find(d.pid);
        if (id.empty() && it != procs.end()) id = it->second.childId;
        if (d.peer != 0 && !id.empty()) m_lastExit[{d.peer, id}] = d.reason;
        if (it != procs.end()) it->second.lastExitReason = d.reason;
        break;
    }
    case DeltaType::StartError:
        if (d.peer != 0 && !d.text.empty()) m_lastExit[{d.peer, d.text}] = d.reason;
        break;
    case DeltaType::SupervisorGaveUp: {
        auto it = procs.find(d.pid);
        if (it != procs.end()) {
            if (d.restartsInWindow) it->second.restartsInWindow = d.restartsInWindow;
            it->second.status = "exiting";
        }
        break;
    }
    }
    return Apply::Applied;
}

void SessionModel::applySample(const Sample& s) {
    touch(s.timeNs);
    m_snapshot.messageRate = s.messageRate;
    m_snapshot.totalMailbox = s.totalMailbox;
    for (auto& [pid, len] : s.mailboxes) {
        auto it = m_snapshot.processes.find(pid);
        if (it != m_snapshot.processes.end()) it->second.mailboxLength = len;
    }
    for (auto& [pid, n] : s.handled) {
        auto it = m_snapshot.processes.find(pid);
        if (it != m_snapshot.processes.end()) it->second.messagesHandled = n;
    }
}

SessionModel::Apply SessionModel::apply(const WireMessage& message) {
    if (auto* k = std::get_if<Keyframe>(&message)) {
        applyKeyframe(*k);
        return Apply::Applied;
    }
    if (auto* d = std::get_if<Delta>(&message)) return applyDelta(*d);
    if (auto* s = std::get_if<Sample>(&message)) {
        if (!m_hasBase) return Apply::NeedKeyframe;
        applySample(*s);
        return Apply::Applied;
    }
    if (std::holds_alternative<ResyncNotice>(message)) {
        m_needKeyframe = true;
        return Apply::NeedKeyframe;
    }
    return Apply::Ignored;
}

TreeSnapshot SessionModel::snapshotAt(std::int64_t sessionTimeNs) const {
    TreeSnapshot s = m_snapshot;
    s.timeNs = sessionTimeNs;
    return s;
}

Keyframe SessionModel::makeKeyframe() const {
    Keyframe k;
    k.seq = m_snapshot.seq;
    k.timeNs = m_lastTimeNs;
    k.processes.reserve(m_snapshot.processes.size());
    for (const auto& [pid, r] : m_snapshot.processes) k.processes.push_back(r);
    for (const auto& [key, n] : m_restarts) {
        auto le = m_lastExit.find(key);
        k.childSlots.push_back({key.first, key.second, n, le == m_lastExit.end() ? std::string() : le->second});
    }
    for (const auto& [key, reason] : m_lastExit)
        if (!m_restarts.count(key)) k.childSlots.push_back({key.first, key.second, 0, reason});
    return k;
}

int SessionModel::restartsOf(std::uint64_t supervisor, const std::string& childId) const {
    auto it = m_restarts.find({supervisor, childId});
    return it == m_restarts.end() ? 0 : it->second;
}

} // namespace canopy::introspection
