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
        for (auto pid : c.countersChanged) copy(pid);
    }
    batch.state = state;
    batch.processCount = tree.processes.size();
    batch.totalMailbox = tree.totalMailbox;
    batch.messageRate = tree.messageRate;
    batch.timeNs = timeNs;
    return batch;
}

void ChangeBatchBuilder::clear() {
    const std::int64_t timeNs = m_changes.timeNs;
    m_changes = introspection::ChangeSet{};
    m_changes.timeNs = timeNs;
    m_pending = false;
}

} // namespace canopy::views
