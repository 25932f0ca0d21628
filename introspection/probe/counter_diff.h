#pragma once
#include <cstdint>
#include <vector>

namespace canopy::introspection {

/// The sampler's memory of each process's counters between two walks, to send only what changed.
/// A walk visits processes in the process table's order, which is stable between walks except where
/// processes came or went: each visit is first matched against the previous walk at a cursor (one
/// comparison, sequential memory), then a short scan ahead (processes that exited), and only then a
/// hash index of the previous walk, built at most once per walk. Processes absent from a walk are
/// forgotten with it.
class CounterDiff {
public:
    /// What changed for one process: `mailbox` -1 and `handled` UINT64_MAX mean "unchanged".
    struct Change {
        std::int64_t mailbox = -1;
        std::uint64_t handled = UINT64_MAX;
    };
    /// Starts a walk.
    void begin();
    /// Records one process's counters; true (and `out` filled) when it is new with a non-zero
    /// counter, or a counter changed since the previous walk.
    bool visit(std::uint64_t pid, std::int64_t mailbox, std::uint64_t handled, Change& out);
    /// Ends the walk: it becomes the previous walk.
    void end();
    /// Index lookups in the walk just ended (0 when the table's order held): for tests and metrics.
    std::uint64_t lastLookups() const { return m_lookups; }
    /// After end(): the handled counts, as of the previous walk, of the processes that walk saw and
    /// this one did not (they exited): what a monotonic "messages handled" total must keep.
    std::uint64_t departedHandled() const { return m_departedHandled; }

private:
    struct Entry {
        std::uint64_t pid;
        std::int64_t mailbox;
        std::uint64_t handled;
    };
    const Entry* find(std::uint64_t pid);
    void buildIndex();

    std::vector<Entry> m_prev;
    std::vector<Entry> m_next;
    std::size_t m_cursor = 0;
    /// Open addressing: pid -> position in m_prev + 1 (0 = empty), capacity a power of two.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> m_index;
    bool m_indexBuilt = false;
    std::uint64_t m_lookups = 0;
    std::uint64_t m_prevHandledSum = 0;    ///< sum of handled over m_prev
    std::uint64_t m_matchedHandledSum = 0; ///< ...over the m_prev entries this walk matched
    std::uint64_t m_departedHandled = 0;
};

} // namespace canopy::introspection
