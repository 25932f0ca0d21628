#include "views/model/process_store.h"
#include <algorithm>

namespace canopy::views {

void ProcessStore::add(std::size_t slot, int delta) {
    for (std::size_t i = slot + 1; i < m_tree.size(); i += i & (~i + 1)) m_tree[i] += delta;
}

int ProcessStore::liveBefore(std::size_t slot) const {
    int sum = 0;
    for (std::size_t i = slot; i > 0; i -= i & (~i + 1)) sum += m_tree[i];
    return sum;
}

std::size_t ProcessStore::slotAt(int index) const {
    // Fenwick descent: the smallest slot with index + 1 live slots up to and including it.
    std::size_t pos = 0;
    int remaining = index + 1;
    std::size_t step = 1;
    while (step * 2 < m_tree.size()) step *= 2;
    for (; step > 0; step /= 2) {
        const std::size_t next = pos + step;
        if (next < m_tree.size() && m_tree[next] < remaining) {
            pos = next;
            remaining -= m_tree[next];
        }
    }
    return pos; // 1-based pos + 1 is the slot's Fenwick index, so the slot is pos
}

void ProcessStore::rebuild() {
    // Squeeze out the holes (row numbers stay as they are) and size the tree for growth.
    std::vector<std::unique_ptr<ProcessRow>> live;
    live.reserve(std::size_t(m_alive) * 2 + 16);
    for (auto& s : m_slots)
        if (s) live.push_back(std::move(s));
    m_slots = std::move(live);
    m_numbers.clear();
    m_numbers.reserve(m_slots.capacity());
    for (const auto& row : m_slots) m_numbers.push_back(numbersOf(*row));
    std::size_t capacity = 16;
    while (capacity < m_slots.size() * 2 + 16) capacity *= 2;
    m_tree.assign(capacity + 1, 0);
    m_slotOf.clear();
    m_slotOf.reserve(m_slots.size() * 2);
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        m_tree[i + 1] = 1;
        m_slotOf[m_slots[i]->record.pid] = i;
    }
    // Linear construction: each node passes its sum on to its parent, all the way up.
    for (std::size_t i = 1; i < m_tree.size(); ++i) {
        const std::size_t parent = i + (i & (~i + 1));
        if (parent < m_tree.size()) m_tree[parent] += m_tree[i];
    }
    m_alive = int(m_slots.size());
}

int ProcessStore::rowOf(std::uint64_t pid) const {
    auto it = m_slotOf.find(pid);
    return it == m_slotOf.end() ? -1 : liveBefore(it->second);
}

const ProcessRow* ProcessStore::find(std::uint64_t pid) const {
    auto it = m_slotOf.find(pid);
    return it == m_slotOf.end() ? nullptr : m_slots[it->second].get();
}

ProcessNumbers ProcessStore::numbersOf(const ProcessRow& row) {
    ProcessNumbers n;
    n.pid = row.record.pid;
    n.mailbox = row.record.mailboxLength;
    n.handled = row.record.messagesHandled;
    n.memory = row.record.memoryBytes;
    n.messageRate = row.messageRate;
    n.handledTimeNs = row.handledTimeNs;
    n.restarts = row.record.restartCount;
    n.live = true;
    return n;
}

std::vector<const ProcessRow*> ProcessStore::rows() const {
    std::vector<const ProcessRow*> out;
    out.reserve(std::size_t(m_alive));
    for (const auto& s : m_slots)
        if (s) out.push_back(s.get());
    return out;
}

void ProcessStore::reset(const std::vector<introspection::ProcessRecord>& records, std::int64_t timeNs) {
    m_slots.clear();
    m_slots.reserve(records.size());
    m_timeNs = timeNs;
    std::unordered_map<std::uint64_t, bool> seen;
    seen.reserve(records.size());
    for (const auto& r : records) {
        if (!seen.emplace(r.pid, true).second) continue;
        auto row = std::make_unique<ProcessRow>();
        row->record = r;
        row->handledTimeNs = timeNs;
        row->firstSeenNs = timeNs;
        m_slots.push_back(std::move(row));
    }
    m_alive = int(m_slots.size());
    rebuild();
    // Every earlier mark is out of the log's reach now.
    m_changedBase = changeMark() + 1;
    m_changed.clear();
}

std::vector<std::pair<int, int>> ProcessStore::removalRanges(const std::vector<std::uint64_t>& pids) const {
    std::vector<int> rows;
    rows.reserve(pids.size());
    for (auto pid : pids)
        if (const int r = rowOf(pid); r >= 0) rows.push_back(r);
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
    for (int i = first; i <= last; ++i) {
        const std::size_t slot = slotAt(first); // each removal shifts the next row into `first`
        noteChanged(m_slots[slot]->record.pid);
        m_slotOf.erase(m_slots[slot]->record.pid);
        m_slots[slot].reset();
        m_numbers[slot].live = false;
        add(slot, -1);
        --m_alive;
    }
    if (m_slots.size() > 1024 && std::size_t(m_alive) * 2 < m_slots.size()) rebuild();
}

int ProcessStore::append(const introspection::ProcessRecord& record, std::int64_t timeNs) {
    if (m_slots.size() + 1 >= m_tree.size()) rebuild();
    auto row = std::make_unique<ProcessRow>();
    row->record = record;
    row->handledTimeNs = timeNs;
    row->firstSeenNs = timeNs;
    const std::size_t slot = m_slots.size();
    m_slotOf[record.pid] = slot;
    m_numbers.push_back(numbersOf(*row));
    m_slots.push_back(std::move(row));
    add(slot, 1);
    noteChanged(record.pid);
    return m_alive++;
}

void ProcessStore::updateByPid(const introspection::ProcessRecord& record, std::int64_t timeNs) {
    refresh(m_slotOf.at(record.pid), record, timeNs);
}

void ProcessStore::noteChanged(std::uint64_t pid) {
    // Bounded: a log longer than the table is no cheaper to follow than a look at every row.
    if (m_changed.size() >= std::max<std::size_t>(4096, std::size_t(m_alive))) {
        m_changedBase += m_changed.size();
        m_changed.clear();
    }
    m_changed.push_back(pid);
}

std::optional<std::span<const std::uint64_t>> ProcessStore::changedSince(std::uint64_t mark) const {
    if (mark < m_changedBase || mark > changeMark()) return std::nullopt;
    return std::span<const std::uint64_t>(m_changed).subspan(std::size_t(mark - m_changedBase));
}

void ProcessStore::updateCounters(const introspection::ProcessRecord& record, std::int64_t timeNs) {
    const std::size_t slot = m_slotOf.at(record.pid);
    ProcessRow& row = *m_slots[slot];
    noteChanged(record.pid);
    countHandled(row, record.messagesHandled, timeNs);
    row.record.mailboxLength = record.mailboxLength;
    row.record.messagesHandled = record.messagesHandled;
    row.record.reductions = record.reductions;
    m_numbers[slot] = numbersOf(row);
}

void ProcessStore::refresh(std::size_t slot, const introspection::ProcessRecord& record, std::int64_t timeNs) {
    ProcessRow& row = *m_slots[slot];
    noteChanged(record.pid);
    countHandled(row, record.messagesHandled, timeNs);
    row.record = record;
    m_numbers[slot] = numbersOf(row);
}

void ProcessStore::countHandled(ProcessRow& row, std::uint64_t handled, std::int64_t timeNs) {
    if (handled == row.record.messagesHandled) return;
    const std::int64_t dt = timeNs - row.handledTimeNs;
    if (dt > 0 && handled > row.record.messagesHandled)
        row.messageRate = double(handled - row.record.messagesHandled) * 1e9 / double(dt);
    else
        row.messageRate = 0.0;
    row.handledTimeNs = timeNs;
}

} // namespace canopy::views
