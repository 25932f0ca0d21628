#include "introspection/probe/slot_tracker.h"
#include "introspection/probe/keyframe_builder.h"
#include "runtime/runtime.h"

namespace canopy::introspection {

void SlotTracker::seed(const Runtime& rt) {
    std::vector<ProcessRecord> children;
    rt.forEachProcessView([&](const ProcessView& v) {
        if (!v.meta) return;
        if (v.meta->kind != ProcessKind::Worker) noteSupervisor(v.pid, v.meta->kind == ProcessKind::Supervisor);
        if (v.parent != 0 && !v.meta->childId.empty()) children.push_back(KeyframeBuilder::toRecord(v));
    });
    for (const auto& c : children)
        if (m_static.count(c.parent)) started(c);
}

void SlotTracker::started(const ProcessRecord& child) {
    Key key{child.parent, child.childId};
    Slot& slot = m_slots[key];
    if (slot.order == 0) slot.order = child.startOrder ? child.startOrder : child.pid;
    if (slot.ghost) --m_ghostCount;
    slot.ghost = false;
    slot.last = child;
    slot.last.links.clear();
    slot.last.monitors.clear();
    m_running[child.pid] = std::move(key);
}

void SlotTracker::onDelta(const Delta& d) {
    switch (d.type) {
    case DeltaType::Spawn:
        if (d.process && d.process->kind != "worker") noteSupervisor(d.pid, d.process->kind == "supervisor");
        break;
    case DeltaType::ChildStarted:
    case DeltaType::ChildRestarted: {
        if (d.process && d.process->kind != "worker") noteSupervisor(d.pid, d.process->kind == "supervisor");
        if (d.text.empty() || !m_static.count(d.peer)) break;
        ProcessRecord r = d.process ? *d.process : ProcessRecord{};
        r.pid = d.pid;
        r.parent = d.peer;
        r.childId = d.text;
        if (r.startOrder == 0) r.startOrder = d.pid;
        if (r.kind != "worker") noteSupervisor(d.pid, r.kind == "supervisor");
        started(r);
        break;
    }
    case DeltaType::Exit: {
        auto run = m_running.find(d.pid);
        if (run != m_running.end()) {
            auto slot = m_slots.find(run->second);
            if (slot != m_slots.end()) {
                if (slot->second.last.restart == "temporary") {
                    m_slots.erase(slot); // OTP forgets temporary children
                } else if (!slot->second.ghost) {
                    slot->second.ghost = true;
                    slot->second.last.lastExitReason = d.reason;
                    ++m_ghostCount;
                }
            }
            m_running.erase(run);
        }
        m_dynamic.erase(d.pid);
        if (m_static.erase(d.pid)) {
            // A supervisor's table goes with it.
            auto it = m_slots.lower_bound(KeyView{d.pid, std::string_view()});
            while (it != m_slots.end() && it->first.supervisor == d.pid) {
                if (it->second.ghost) --m_ghostCount;
                it = m_slots.erase(it);
            }
        }
        break;
    }
    default:
        break;
    }
}

std::uint64_t SlotTracker::orderOf(std::uint64_t pid, std::uint64_t parent, std::string_view childId) const {
    if (childId.empty() || parent == 0) return pid;
    auto it = m_slots.find(KeyView{parent, childId});
    return it == m_slots.end() || it->second.order == 0 ? pid : it->second.order;
}

std::vector<ProcessRecord> SlotTracker::ghosts(const std::unordered_set<std::uint64_t>* keep) const {
    std::vector<ProcessRecord> out;
    if (m_ghostCount == 0) return out;
    for (const auto& [key, slot] : m_slots) {
        if (!slot.ghost || (keep && !keep->count(key.supervisor))) continue;
        ProcessRecord g = slot.last;
        g.pid = 0;
        g.pidText.clear();
        g.parent = key.supervisor;
        g.childId = key.childId;
        g.status = "undefined";
        g.mailboxLength = 0;
        g.messagesHandled = 0;
        g.memoryBytes = 0;
        g.restartsInWindow = 0;
        g.restartStamps.clear();
        g.startOrder = slot.order;
        out.push_back(std::move(g));
    }
    return out;
}

} // namespace canopy::introspection
