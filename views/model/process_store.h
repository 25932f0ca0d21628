#pragma once
#include "introspection/process_record.h"
#include "views/model/process_numbers.h"
#include "views/model/process_row.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace canopy::views {

/// The GUI thread's copy of the processes, updated from change batches only (never rescanned).
/// Rows are in arrival order. Removing a row, finding the row of a pid and the pid of a row are
/// O(log n): processes live in append-only slots (an exited one leaves a hole) and a Fenwick tree
/// counts the live slots, so a row number is "live slots before this one"; holes are squeezed out
/// when they outnumber the live slots (row numbers do not change then). 100k processes with a
/// thousand exits a second cost microseconds per batch, not a shift of every later row.
/// Plain C++; ProcessTableModel wraps it and signals each step to its views.
class ProcessStore {
public:
    /// Number of processes.
    int size() const { return m_alive; }
    /// The row at `index` (precondition: 0 <= index < size()). O(log n).
    const ProcessRow& row(int index) const { return *m_slots[slotAt(index)]; }
    /// The row of `pid`, or -1. O(log n).
    int rowOf(std::uint64_t pid) const;
    /// The row of `pid`, or nullptr. O(1).
    const ProcessRow* find(std::uint64_t pid) const;
    /// Every process in row order (for ranking a whole table at once).
    std::vector<const ProcessRow*> rows() const;
    /// The sortable numbers of every process in row order, in one array (entries with live == false
    /// are removed processes: skip them).
    const std::vector<ProcessNumbers>& numbers() const { return m_numbers; }
    /// The sortable numbers of a row.
    static ProcessNumbers numbersOf(const ProcessRow& row);
    /// Session time of the newest batch applied (ns).
    std::int64_t timeNs() const { return m_timeNs; }
    void setTimeNs(std::int64_t timeNs) { m_timeNs = timeNs; }

    /// Replaces every row with `records` (a reset batch).
    void reset(const std::vector<introspection::ProcessRecord>& records, std::int64_t timeNs);
    /// The rows of those `pids` that are present, as contiguous [first, last] ranges in descending
    /// order (remove them in this order and the lower ranges stay valid).
    std::vector<std::pair<int, int>> removalRanges(const std::vector<std::uint64_t>& pids) const;
    /// Removes rows first..last.
    void removeRows(int first, int last);
    /// Appends a process (its pid must not be present); returns its row.
    int append(const introspection::ProcessRecord& record, std::int64_t timeNs);
    /// Replaces the record of `record.pid` (present), deriving the message rate (O(1)).
    void updateByPid(const introspection::ProcessRecord& record, std::int64_t timeNs);
    /// Copies only the counters (mailbox length, messages handled, reductions) of `record` to the
    /// process of `record.pid` (present), deriving the message rate: for a sampled process, whose
    /// other fields did not change (touches a fraction of the row).
    void updateCounters(const introspection::ProcessRecord& record, std::int64_t timeNs);

    /// A position in the log of changed processes (see changedSince()).
    std::uint64_t changeMark() const { return m_changedBase + m_changed.size(); }
    /// The pids appended, updated or removed since `mark` (in order, possibly repeated), or nullopt
    /// when the log does not reach back that far (a reset, or more changes than the log keeps):
    /// then everything may have changed.
    std::optional<std::span<const std::uint64_t>> changedSince(std::uint64_t mark) const;

private:
    std::size_t slotAt(int index) const;
    int liveBefore(std::size_t slot) const;
    void add(std::size_t slot, int delta);
    void rebuild();
    void noteChanged(std::uint64_t pid);
    void refresh(std::size_t slot, const introspection::ProcessRecord& record, std::int64_t timeNs);
    void countHandled(ProcessRow& row, std::uint64_t handled, std::int64_t timeNs);

    std::vector<std::unique_ptr<ProcessRow>> m_slots;
    /// numbersOf() each slot's row (live == false for a hole).
    std::vector<ProcessNumbers> m_numbers;
    /// Fenwick tree over m_slots (1-based): live slots per range; sized to a power of two.
    std::vector<int> m_tree;
    std::unordered_map<std::uint64_t, std::size_t> m_slotOf;
    int m_alive = 0;
    /// The log of changed pids: m_changed[i] is change number m_changedBase + i.
    std::vector<std::uint64_t> m_changed;
    std::uint64_t m_changedBase = 0;
    std::int64_t m_timeNs = 0;
};

} // namespace canopy::views
