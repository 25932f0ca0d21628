#pragma once
#include <array>
#include <cstdint>
#include <utility>

namespace canopy::introspection {

/// A direct-mapped cache of per-supervisor entries (pointers into a node-based map, which stay
/// valid) by supervisor pid. A keyframe's records, in pid order after restarts, interleave their
/// supervisors; a std::unordered_map lookup (a division) per record was a measurable part of a load.
template <class T>
class SupervisorCache {
public:
    /// The entry of `supervisor` (not 0), from `lookup(supervisor)` (a T&) on a miss.
    template <class Lookup>
    T& get(std::uint64_t supervisor, Lookup&& lookup) {
        auto& e = m_slots[(supervisor * 0x9e3779b97f4a7c15ull) >> (64 - kBits)];
        if (e.first != supervisor || !e.second) e = {supervisor, &lookup(supervisor)};
        return *e.second;
    }

private:
    static constexpr int kBits = 7;
    std::array<std::pair<std::uint64_t, T*>, std::size_t(1) << kBits> m_slots{};
};

} // namespace canopy::introspection
