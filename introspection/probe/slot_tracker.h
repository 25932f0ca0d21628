#pragma once
#include "introspection/delta.h"
#include "introspection/process_record.h"
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::introspection {

/// The probe's memory of static supervisors' child slots (supervisor + child id), kept from the
/// child events it drains: each slot's place among its siblings (the start order of its first
/// process, so a restarted child is not drawn last), and the slots with no running process (OTP's
/// which_children lists them with pid `undefined`) as ghost records for keyframes. Asio thread only.
class SlotTracker {
public:
    /// Learns the slots of the processes already running (the probe attached to a live tree).
    void seed(const Runtime& rt);
    /// Follows one structural event (child started/restarted with its record, exit, spawn).
    void onDelta(const Delta& delta);
    /// True when the kind of supervisor `pid` is known (else tell it with noteSupervisor()).
    bool knowsSupervisor(std::uint64_t pid) const { return m_static.count(pid) || m_dynamic.count(pid); }
    /// Records whether supervisor `pid` is static (its children have slots) or dynamic.
    void noteSupervisor(std::uint64_t pid, bool isStatic) { (isStatic ? m_static : m_dynamic).insert(pid); }
    /// The start order a keyframe gives `pid` (its slot's order; the pid itself for anything else).
    std::uint64_t orderOf(std::uint64_t pid, std::uint64_t parent, std::string_view childId) const;
    /// Ghost slots (records with pid 0, startOrder = the slot's place), by supervisor; only those of
    /// the supervisors in `keep` when given.
    std::vector<ProcessRecord> ghosts(const std::unordered_set<std::uint64_t>* keep = nullptr) const;
    /// Ghost slots held (metrics, tests).
    std::size_t ghostCount() const { return m_ghostCount; }

private:
    struct Key {
        std::uint64_t supervisor = 0;
        std::string childId;
    };
    struct KeyView {
        std::uint64_t supervisor = 0;
        std::string_view childId;
    };
    /// Orders keys; lookups with a KeyView allocate nothing.
    struct KeyLess {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            return a.supervisor != b.supervisor ? a.supervisor < b.supervisor
                                                : std::string_view(a.childId) < std::string_view(b.childId);
        }
    };
    struct Slot {
        std::uint64_t order = 0;
        bool ghost = false;
        ProcessRecord last; ///< the slot's last process (its ghost when `ghost`)
    };
    void started(const ProcessRecord& child);

    std::map<Key, Slot, KeyLess> m_slots;
    /// Running children of static supervisors -> their slot.
    std::unordered_map<std::uint64_t, Key> m_running;
    /// Static supervisors alive (their children have slots; dynamic supervisors' do not).
    std::unordered_set<std::uint64_t> m_static;
    std::unordered_set<std::uint64_t> m_dynamic;
    std::size_t m_ghostCount = 0;
};

} // namespace canopy::introspection
