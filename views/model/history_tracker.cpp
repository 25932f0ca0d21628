#include "views/model/history_tracker.h"
#include <algorithm>

namespace canopy::views {

void HistoryTracker::clear() {
    m_mailboxes.clear();
    m_growing.clear();
    m_slots.clear();
}

void HistoryTracker::addEvent(const SlotKey& key, SlotEvent event) {
    auto& events = m_slots[key];
    events.push_back(std::move(event));
    while (events.size() > kMaxSlotEvents) events.pop_front();
}

void HistoryTracker::sampleMailbox(std::uint64_t pid, std::int64_t timeNs, std::int64_t length) {
    auto it = m_mailboxes.find(pid);
    if (it == m_mailboxes.end()) {
        if (length == 0 || m_mailboxes.size() >= kMaxTrackedPids) return;
        it = m_mailboxes.emplace(pid, std::deque<MailboxSample>{}).first;
    }
    auto& samples = it->second;
    if (!samples.empty() && samples.back().length == length) return;
    if (!samples.empty() && samples.back().tNs == timeNs) samples.back().length = length;
    else samples.push_back({timeNs, length});
    while (samples.size() > kMaxSamples) samples.pop_front();
}

double HistoryTracker::mailboxGrowth(std::uint64_t pid, std::int64_t nowNs) const {
    const auto it = m_mailboxes.find(pid);
    if (it == m_mailboxes.end() || it->second.empty()) return 0.0;
    const auto& samples = it->second;
    const std::int64_t lengthNow = samples.back().length; // held until a change says otherwise
    if (lengthNow < kGrowthMinLength) return 0.0;
    // Where the window starts: the length then (the last sample at or before it), or the first sample.
    const std::int64_t windowStart = nowNs - kGrowthWindowNs;
    std::size_t first = samples.size() - 1;
    while (first > 0 && samples[first].tNs > windowStart) --first;
    const std::int64_t from = std::max(samples[first].tNs, windowStart);
    if (nowNs - from < kGrowthMinSpanNs) return 0.0;
    const std::int64_t rise = lengthNow - samples[first].length;
    if (rise <= 0) return 0.0;
    const double perSecond = static_cast<double>(rise) * 1e9 / static_cast<double>(nowNs - from);
    if (perSecond < kGrowthMinRate) return 0.0;
    // Steady: never fell back by half the rise within the window (a drained burst is not growth).
    std::int64_t peak = samples[first].length;
    for (std::size_t i = first + 1; i < samples.size(); ++i) {
        peak = std::max(peak, samples[i].length);
        if (2 * (peak - samples[i].length) > rise) return 0.0;
    }
    return perSecond;
}

std::vector<MailboxGrowth> HistoryTracker::growingMailboxes() const {
    std::vector<MailboxGrowth> out;
    out.reserve(m_growing.size());
    for (const auto& [pid, rate] : m_growing) {
        const auto it = m_mailboxes.find(pid);
        out.push_back({pid, it != m_mailboxes.end() && !it->second.empty() ? it->second.back().length : 0, rate});
    }
    std::sort(out.begin(), out.end(), [](const MailboxGrowth& a, const MailboxGrowth& b) {
        return a.perSecond != b.perSecond ? a.perSecond > b.perSecond : a.pid < b.pid;
    });
    if (out.size() > kMaxGrowing) out.resize(kMaxGrowing);
    return out;
}

void HistoryTracker::addChanges(const introspection::ChangeSet& c, const introspection::TreeSnapshot& tree) {
    if (c.reset) clear(); // a fresh tree; the lists after it still happened
    for (auto pid : c.countersChanged)
        if (const auto* r = tree.find(pid)) sampleMailbox(pid, c.timeNs, r->mailboxLength);
    // The growth alarm: the mailboxes that changed, and the ones growing before (they age).
    for (auto it = m_growing.begin(); it != m_growing.end();) {
        const double rate = mailboxGrowth(it->first, c.timeNs);
        if (rate > 0) it++->second = rate;
        else it = m_growing.erase(it);
    }
    for (auto pid : c.countersChanged)
        if (!m_growing.count(pid))
            if (const double rate = mailboxGrowth(pid, c.timeNs); rate > 0) m_growing.emplace(pid, rate);
    std::unordered_map<std::uint64_t, bool> restartedOld;
    for (const auto& r : c.restarted) {
        if (r.oldPid) restartedOld[r.oldPid] = true;
        SlotEvent e;
        e.tNs = r.timeNs;
        e.kind = SlotEvent::Kind::Restarted;
        e.pid = r.newPid;
        if (const auto* rec = tree.find(r.newPid)) e.pidText = rec->pidText;
        e.oldPid = r.oldPid;
        e.reason = r.reason;
        addEvent({r.supervisor, r.childId}, std::move(e));
    }
    for (const auto& x : c.exited) {
        m_mailboxes.erase(x.record.pid);
        m_growing.erase(x.record.pid);
        if (x.record.parent == 0 || restartedOld.count(x.record.pid)) continue;
        SlotEvent e;
        e.tNs = x.timeNs;
        e.kind = SlotEvent::Kind::Exited;
        e.pid = x.record.pid;
        e.pidText = x.record.pidText;
        e.reason = x.reason;
        addEvent({x.record.parent, x.record.childId}, std::move(e));
    }
    std::unordered_map<std::uint64_t, bool> restartedNew;
    for (const auto& r : c.restarted) restartedNew[r.newPid] = true;
    for (auto pid : c.spawned) {
        if (restartedNew.count(pid)) continue;
        const auto* rec = tree.find(pid);
        if (!rec || rec->parent == 0) continue;
        SlotEvent e;
        e.tNs = c.timeNs;
        e.kind = SlotEvent::Kind::Started;
        e.pid = pid;
        e.pidText = rec->pidText;
        addEvent({rec->parent, rec->childId}, std::move(e));
    }
    for (const auto& g : c.gaveUp) {
        SlotEvent e;
        e.tNs = g.timeNs;
        e.kind = SlotEvent::Kind::GaveUp;
        e.reason = g.reason;
        addEvent({g.supervisor, g.childId}, std::move(e));
    }
}

ProcessHistory HistoryTracker::processHistory(std::uint64_t pid, const introspection::TreeSnapshot& tree,
                                              std::int64_t nowNs) const {
    ProcessHistory h;
    h.nowNs = nowNs;
    if (auto it = m_mailboxes.find(pid); it != m_mailboxes.end()) h.mailbox.assign(it->second.begin(), it->second.end());
    h.mailboxGrowthPerSecond = mailboxGrowth(pid, nowNs);
    if (const auto* r = tree.find(pid)) {
        if (h.mailbox.empty() || h.mailbox.back().length != r->mailboxLength) h.mailbox.push_back({nowNs, r->mailboxLength});
        if (r->parent != 0) {
            if (auto it = m_slots.find({r->parent, r->childId}); it != m_slots.end()) {
                for (const auto& e : it->second)
                    // Dynamic children share one "" slot: show only this process's own events.
                    if (!r->childId.empty() || e.pid == pid) h.slotEvents.push_back(e);
            }
        }
    }
    return h;
}

ProcessHistory HistoryTracker::slotHistory(std::uint64_t supervisor, const std::string& childId, std::int64_t nowNs) const {
    ProcessHistory h;
    h.nowNs = nowNs;
    if (auto it = m_slots.find({supervisor, childId}); it != m_slots.end()) {
        h.slotEvents.assign(it->second.begin(), it->second.end());
        for (auto e = h.slotEvents.rbegin(); e != h.slotEvents.rend(); ++e)
            if (e->kind == SlotEvent::Kind::Exited || e->kind == SlotEvent::Kind::Restarted || e->kind == SlotEvent::Kind::GaveUp) {
                h.notRunningSinceNs = e->tNs;
                break;
            }
    }
    return h;
}

void HistoryTracker::fillRates(ProcessHistory& h, std::int64_t nowNs) {
    std::int64_t from = nowNs - kRateWindowNs;
    std::int64_t first = nowNs;
    int spawns = 0, exits = 0;
    std::map<std::string, int> reasons;
    for (const auto& e : h.slotEvents) {
        if (e.tNs < from) continue;
        first = std::min(first, e.tNs);
        if (e.kind == SlotEvent::Kind::Started || e.kind == SlotEvent::Kind::Restarted) ++spawns;
        if (e.kind == SlotEvent::Kind::Exited || e.kind == SlotEvent::Kind::Restarted) {
            ++exits;
            if (!e.reason.empty()) ++reasons[e.reason];
        }
    }
    const double seconds = double(std::max<std::int64_t>(nowNs - std::max(from, first), 1'000'000'000)) / 1e9;
    h.spawnsPerSecond = spawns / seconds;
    h.exitsPerSecond = exits / seconds;
    h.exitReasons.assign(reasons.begin(), reasons.end());
    std::stable_sort(h.exitReasons.begin(), h.exitReasons.end(), [](auto& a, auto& b) { return a.second > b.second; });
}

ProcessHistory HistoryTracker::herdHistory(const std::vector<std::uint64_t>& members, const introspection::TreeSnapshot& tree,
                                           std::int64_t nowNs) const {
    ProcessHistory h;
    h.nowNs = nowNs;
    // Members share a supervisor (or supervisors of the same spec): gather their slots' events.
    std::map<SlotKey, bool> slots;
    std::int64_t mailboxNow = 0;
    for (auto pid : members)
        if (const auto* r = tree.find(pid)) {
            slots[{r->parent, r->childId}] = true;
            mailboxNow += r->mailboxLength;
        }
    for (const auto& [key, unused] : slots)
        if (auto it = m_slots.find(key); it != m_slots.end()) h.slotEvents.insert(h.slotEvents.end(), it->second.begin(), it->second.end());
    std::stable_sort(h.slotEvents.begin(), h.slotEvents.end(), [](const SlotEvent& a, const SlotEvent& b) { return a.tNs < b.tNs; });
    if (h.slotEvents.size() > kMaxSlotEvents)
        h.slotEvents.erase(h.slotEvents.begin(), h.slotEvents.end() - static_cast<std::ptrdiff_t>(kMaxSlotEvents));
    fillRates(h, nowNs);
    // Mailbox sum over time: merge the members' samples (each sample carries its member's latest length).
    std::vector<std::pair<std::int64_t, std::pair<std::uint64_t, std::int64_t>>> all;
    for (auto pid : members)
        if (auto it = m_mailboxes.find(pid); it != m_mailboxes.end())
            for (const auto& s : it->second) all.push_back({s.tNs, {pid, s.length}});
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.first < b.first; });
    std::unordered_map<std::uint64_t, std::int64_t> latest;
    std::int64_t sum = 0;
    for (const auto& [t, sample] : all) {
        sum += sample.second - latest[sample.first];
        latest[sample.first] = sample.second;
        if (!h.mailbox.empty() && h.mailbox.back().tNs == t) h.mailbox.back().length = sum;
        else h.mailbox.push_back({t, sum});
    }
    if (h.mailbox.size() > kMaxSamples) h.mailbox.erase(h.mailbox.begin(), h.mailbox.end() - static_cast<std::ptrdiff_t>(kMaxSamples));
    h.mailbox.push_back({nowNs, mailboxNow});
    return h;
}

} // namespace canopy::views
