#include "views/model/change_batch_builder.h"
#include <unordered_set>

namespace canopy::views {

void ChangeBatchBuilder::add(introspection::ChangeSet&& changes) {
    if (changes.empty()) {
        // Keep the time moving even when nothing changed (a replay step over a quiet stretch).
        m_changes.timeNs = changes.timeNs;
        m_changes.seq = changes.seq;
        return;
    }
    if (!m_pending) {
        const std::int64_t keepTime = m_changes.timeNs;
        m_changes = introspection::ChangeSet{};
        m_changes.timeNs = keepTime;
    }
    m_changes.append(std::move(changes));
    m_pending = true;
}

ChangeBatch ChangeBatchBuilder::take(const introspection::TreeSnapshot& tree, const introspection::SessionState& state) {
    ChangeBatch batch;
    const std::int64_t timeNs = m_changes.timeNs;
    batch.changes = m_pending ? std::move(m_changes) : introspection::ChangeSet{};
    batch.changes.timeNs = timeNs;
    m_changes = introspection::ChangeSet{};
    m_changes.timeNs = timeNs;
    m_pending = false;

    const auto& c = batch.changes;
    if (c.reset) {
        m_heldCounters.clear(); // every record goes
        batch.records.reserve(tree.processes.size());
        for (const auto& [pid, record] : tree.processes) batch.records.push_back(record);
    } else {
        std::unordered_set<std::uint64_t> seen;
        seen.reserve(c.spawned.size() + c.updated.size() + c.countersChanged.size() + c.restarted.size());
        auto copy = [&](std::uint64_t pid) {
            if (!seen.insert(pid).second) return;
            if (const auto* record = tree.find(pid)) batch.records.push_back(*record);
        };
        for (auto pid : c.spawned) copy(pid);
        for (const auto& r : c.restarted) copy(r.newPid);
        for (auto pid : c.updated) copy(pid);
        batch.countersOnlyFrom = batch.records.size(); // the rest changed only their counters
        // Counters held back from the last batch first, then this batch's, up to the limit.
        std::vector<std::uint64_t> counters = std::move(m_heldCounters);
        m_heldCounters.clear();
        const bool heldBefore = !counters.empty();
        counters.insert(counters.end(), c.countersChanged.begin(), c.countersChanged.end());
        std::vector<std::uint64_t> sent;
        for (auto pid : counters) {
            if (seen.count(pid)) {
                sent.push_back(pid); // a record already in the batch: its counters are in it
                continue;
            }
            if (!tree.find(pid)) continue; // exited since
            if (batch.records.size() - batch.countersOnlyFrom >= kMaxCounterRecords) {
                m_heldCounters.push_back(pid);
                continue;
            }
            copy(pid);
            sent.push_back(pid);
        }
        // The batch names only the counters it carries (a view reads them from its records).
        if (heldBefore || !m_heldCounters.empty()) {
            std::vector<std::uint64_t> unique;
            std::unordered_set<std::uint64_t> named;
            for (auto pid : sent)
                if (named.insert(pid).second) unique.push_back(pid);
            batch.changes.countersChanged = std::move(unique);
        }
    }
    batch.state = state;
    batch.processCount = tree.processes.size();
    batch.totalMailbox = tree.totalMailbox;
    batch.messageRate = tree.messageRate;
    batch.timeNs = timeNs;
    return batch;
}

void ChangeBatchBuilder::clear() {
    m_heldCounters.clear();
    const std::int64_t timeNs = m_changes.timeNs;
    m_changes = introspection::ChangeSet{};
    m_changes.timeNs = timeNs;
    m_pending = false;
}

} // namespace canopy::views
