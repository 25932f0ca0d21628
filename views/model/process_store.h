#pragma once
#include "introspection/process_record.h"
#include "views/model/process_row.h"
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace canopy::views {

/// The GUI thread's copy of the processes, updated from change batches only (never rescanned):
/// rows in arrival order, a pid index, removal by contiguous ranges. Plain C++; ProcessTableModel
/// wraps it and signals each step to its views.
class ProcessStore {
public:
    /// Number of processes.
    int size() const { return static_cast<int>(m_rows.size()); }
    /// The row at `index` (precondition: 0 <= index < size()).
    const ProcessRow& row(int index) const { return *m_rows[static_cast<std::size_t>(index)]; }
    /// The row of `pid`, or -1.
    int rowOf(std::uint64_t pid) const;
    /// The row of `pid`, or nullptr.
    const ProcessRow* find(std::uint64_t pid) const;
    /// Session time of the newest batch applied (ns).
    std::int64_t timeNs() const { return m_timeNs; }
    void setTimeNs(std::int64_t timeNs) { m_timeNs = timeNs; }

    /// Replaces every row with `records` (a reset batch).
    void reset(const std::vector<introspection::ProcessRecord>& records, std::int64_t timeNs);
    /// The rows of those `pids` that are present, as contiguous [first, last] ranges in descending
    /// order (remove them in this order and the lower ranges stay valid).
    std::vector<std::pair<int, int>> removalRanges(const std::vector<std::uint64_t>& pids);
    /// Erases rows first..last. Rows after them keep stale indices until reindex().
    void removeRows(int first, int last);
    /// Appends a process (its pid must not be present); returns its row.
    int append(const introspection::ProcessRecord& record, std::int64_t timeNs);
    /// Replaces the record of the process at `row`, deriving the message rate.
    void update(int row, const introspection::ProcessRecord& record, std::int64_t timeNs);
    /// Brings row indices up to date after removals.
    void reindex();

private:
    std::vector<std::unique_ptr<ProcessRow>> m_rows;
    std::unordered_map<std::uint64_t, ProcessRow*> m_byPid;
    std::size_t m_dirtyFrom = SIZE_MAX;
    std::int64_t m_timeNs = 0;
};

} // namespace canopy::views
