#include "views/model/process_store.h"
#include <algorithm>

namespace canopy::views {

int ProcessStore::rowOf(std::uint64_t pid) const {
    auto it = m_byPid.find(pid);
    if (it == m_byPid.end()) return -1;
    if (m_dirtyFrom != SIZE_MAX && it->second->index >= m_dirtyFrom) {
        // Indices after a removal are stale until reindex(); find it the slow way.
        for (std::size_t i = m_dirtyFrom; i < m_rows.size(); ++i)
            if (m_rows[i].get() == it->second) return static_cast<int>(i);
        return -1;
    }
    return static_cast<int>(it->second->index);
}

const ProcessRow* ProcessStore::find(std::uint64_t pid) const {
    auto it = m_byPid.find(pid);
    return it == m_byPid.end() ? nullptr : it->second;
}

void ProcessStore::reset(const std::vector<introspection::ProcessRecord>& records, std::int64_t timeNs) {
    m_rows.clear();
    m_byPid.clear();
    m_dirtyFrom = SIZE_MAX;
    m_rows.reserve(records.size());
    m_byPid.reserve(records.size());
    m_timeNs = timeNs;
    for (const auto& r : records) {
        if (m_byPid.count(r.pid)) continue;
        append(r, timeNs);
    }
}

std::vector<std::pair<int, int>> ProcessStore::removalRanges(const std::vector<std::uint64_t>& pids) {
    reindex();
    std::vector<int> rows;
    rows.reserve(pids.size());
    for (auto pid : pids)
        if (auto it = m_byPid.find(pid); it != m_byPid.end()) rows.push_back(static_cast<int>(it->second->index));
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<std::pair<int, int>> ranges;
    for (int r : rows) {
        if (!ranges.empty() && ranges.back().first == r + 1) ranges.back().first = r;
        else ranges.emplace_back(r, r);
    }
    return ranges;
}

void ProcessStore::removeRows(int first, int last) {
    for (int i = first; i <= last; ++i) m_byPid.erase(m_rows[static_cast<std::size_t>(i)]->record.pid);
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
    m_dirtyFrom = std::min<std::size_t>(m_dirtyFrom, static_cast<std::size_t>(first));
}

int ProcessStore::append(const introspection::ProcessRecord& record, std::int64_t timeNs) {
    auto row = std::make_unique<ProcessRow>();
    row->record = record;
    row->index = static_cast<std::uint32_t>(m_rows.size());
    row->handledTimeNs = timeNs;
    row->firstSeenNs = timeNs;
    m_byPid[record.pid] = row.get();
    m_rows.push_back(std::move(row));
    return static_cast<int>(m_rows.size() - 1);
}

void ProcessStore::update(int index, const introspection::ProcessRecord& record, std::int64_t timeNs) {
    ProcessRow& row = *m_rows[static_cast<std::size_t>(index)];
    if (record.messagesHandled != row.record.messagesHandled) {
        const std::int64_t dt = timeNs - row.handledTimeNs;
        if (dt > 0 && record.messagesHandled > row.record.messagesHandled)
            row.messageRate = double(record.messagesHandled - row.record.messagesHandled) * 1e9 / double(dt);
        else
            row.messageRate = 0.0;
        row.handledTimeNs = timeNs;
    }
    row.record = record;
}

void ProcessStore::reindex() {
    if (m_dirtyFrom == SIZE_MAX) return;
    for (std::size_t i = m_dirtyFrom; i < m_rows.size(); ++i) m_rows[i]->index = static_cast<std::uint32_t>(i);
    m_dirtyFrom = SIZE_MAX;
}

} // namespace canopy::views
