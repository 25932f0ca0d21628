#include "views/model/process_filter_proxy.h"
#include "views/model/process_table_model.h"
#include <algorithm>

namespace canopy::views {

ProcessFilterProxy::ProcessFilterProxy(QObject* parent) : QAbstractProxyModel(parent) {}

void ProcessFilterProxy::setProcessModel(ProcessTableModel* model) { setSourceModel(model); }

void ProcessFilterProxy::setSourceModel(QAbstractItemModel* source) {
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    beginResetModel();
    m_rankingValid = false;
    m_model = qobject_cast<ProcessTableModel*>(source);
    QAbstractProxyModel::setSourceModel(source);
    if (m_model) {
        connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, &ProcessFilterProxy::sourceRowsAboutToBeRemoved);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &ProcessFilterProxy::sourceRowsInserted);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &ProcessFilterProxy::sourceDataChanged);
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &ProcessFilterProxy::sourceAboutToBeReset);
        connect(m_model, &QAbstractItemModel::modelReset, this, &ProcessFilterProxy::sourceReset);
    }
    m_pids = m_model ? ranked() : std::vector<std::uint64_t>{};
    reindexFrom(0);
    endResetModel();
}

// ---- what is shown ----

bool ProcessFilterProxy::accepts(const ProcessRow& row) const {
    if (m_filterText.isEmpty()) return true;
    const auto& p = row.record;
    auto has = [&](const std::string& s) { return !s.empty() && QString::fromStdString(s).contains(m_filterText, Qt::CaseInsensitive); };
    if (has(p.name) || has(p.childId) || has(p.initialCall) || has(p.pidText)) return true;
    return QString::number(p.pid) == m_filterText || QStringLiteral("<0.%1.0>").arg(p.pid) == m_filterText;
}

bool ProcessFilterProxy::before(const ProcessRow& a, const ProcessRow& b) const {
    if (m_sortColumn >= 0) {
        int c = 0;
        if (ProcessTableModel::isNumeric(m_sortColumn)) {
            const double x = m_model->number(a, m_sortColumn), y = m_model->number(b, m_sortColumn);
            c = x < y ? -1 : (x > y ? 1 : 0);
        } else {
            c = QString::compare(m_model->text(a, m_sortColumn), m_model->text(b, m_sortColumn), Qt::CaseInsensitive);
        }
        if (c != 0) return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
    }
    return a.record.pid < b.record.pid; // ties (and no sort column): by pid, oldest first
}

std::vector<std::uint64_t> ProcessFilterProxy::ranked() {
    if (m_sortColumn < 0 || ProcessTableModel::isNumeric(m_sortColumn)) return rankedByNumber();
    std::vector<const ProcessRow*> rows = m_model->store().rows();
    if (!m_filterText.isEmpty())
        rows.erase(std::remove_if(rows.begin(), rows.end(), [this](const ProcessRow* r) { return !accepts(*r); }), rows.end());
    auto less = [this](const ProcessRow* a, const ProcessRow* b) { return before(*a, *b); };
    if (m_sortColumn >= 0 || m_topN > 0) {
        if (m_topN > 0 && rows.size() > std::size_t(m_topN)) {
            std::nth_element(rows.begin(), rows.begin() + m_topN, rows.end(), less);
            rows.resize(std::size_t(m_topN));
        }
        if (m_sortColumn >= 0) std::sort(rows.begin(), rows.end(), less);
    }
    std::vector<std::uint64_t> pids;
    pids.reserve(rows.size());
    for (const auto* r : rows) pids.push_back(r->record.pid);
    return pids;
}

bool ProcessFilterProxy::rankBefore(const RankEntry& a, const RankEntry& b) const {
    const bool ascending = m_sortOrder == Qt::AscendingOrder || m_sortColumn < 0;
    if (a.key != b.key) return ascending ? a.key < b.key : a.key > b.key;
    return a.pid < b.pid; // ties (and no sort column): by pid, oldest first
}

bool ProcessFilterProxy::rankingFollowsChanges() const {
    return m_sortColumn < 0 || (ProcessTableModel::isNumeric(m_sortColumn) && m_sortColumn != ProcessTableModel::MessageRate);
}

std::size_t ProcessFilterProxy::rankingKept(std::size_t ranked) const {
    // Beyond the top N: the next ticks rank from this and the processes changed since, as long as
    // enough of it is left unchanged.
    return m_topN > 0 ? std::min(ranked, std::size_t(m_topN) * 2 + 64) : ranked;
}

std::vector<std::uint64_t> ProcessFilterProxy::shownOf(const std::vector<RankEntry>& ranking) const {
    const std::size_t n = m_topN > 0 ? std::min(ranking.size(), std::size_t(m_topN)) : ranking.size();
    std::vector<std::uint64_t> pids;
    pids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) pids.push_back(ranking[i].pid);
    return pids;
}

std::vector<std::uint64_t> ProcessFilterProxy::rankedByNumber() {
    std::vector<std::uint64_t> pids;
    if (rerankChanged(pids)) return pids;
    // Each key computed once into a flat array: ranking 100k processes is one nth_element over
    // 16-byte entries (a few ms), not a million comparisons that each look the row up again.
    std::vector<RankEntry> entries;
    entries.reserve(std::size_t(m_model->store().size()));
    if (m_filterText.isEmpty()) {
        // The store's flat array of numbers: read in order, not row by row.
        for (const ProcessNumbers& n : m_model->store().numbers())
            if (n.live) entries.push_back({m_sortColumn >= 0 ? m_model->number(n, m_sortColumn) : 0.0, n.pid});
    } else {
        for (const ProcessRow* r : m_model->store().rows()) {
            if (!accepts(*r)) continue;
            entries.push_back({m_sortColumn >= 0 ? m_model->number(*r, m_sortColumn) : 0.0, r->record.pid});
        }
    }
    auto less = [this](const RankEntry& a, const RankEntry& b) { return rankBefore(a, b); };
    const std::size_t reserve = rankingKept(entries.size());
    m_rankingComplete = entries.size() <= reserve;
    if (!m_rankingComplete) {
        std::nth_element(entries.begin(), entries.begin() + std::ptrdiff_t(reserve), entries.end(), less);
        entries.resize(reserve);
    }
    std::sort(entries.begin(), entries.end(), less);
    m_ranking = std::move(entries);
    m_rankingMark = m_model->store().changeMark();
    m_rankingValid = rankingFollowsChanges();
    return shownOf(m_ranking);
}

bool ProcessFilterProxy::rerankChanged(std::vector<std::uint64_t>& pids) {
    if (!m_rankingValid || !rankingFollowsChanges()) return false;
    const ProcessStore& store = m_model->store();
    const auto changed = store.changedSince(m_rankingMark);
    // Each changed process costs a look at its row; ranking everything reads the store's flat
    // array of numbers (100k: ~1.3 ms, as much as ~3000 changed processes; 23k cost 5 ms) or, with
    // a filter, every row.
    const std::size_t limit = std::max<std::size_t>(256, std::size_t(store.size()) / (m_filterText.isEmpty() ? 32 : 4));
    if (!changed || changed->size() > limit * 2) return false;
    std::vector<std::uint64_t> dirty(changed->begin(), changed->end());
    std::sort(dirty.begin(), dirty.end());
    dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
    if (dirty.size() > limit) return false;
    auto isDirty = [&dirty](std::uint64_t pid) { return std::binary_search(dirty.begin(), dirty.end(), pid); };
    auto less = [this](const RankEntry& a, const RankEntry& b) { return rankBefore(a, b); };
    // The changed processes with their keys now (an exited or filtered-out one drops out)...
    std::vector<RankEntry> fresh;
    fresh.reserve(dirty.size());
    for (std::uint64_t pid : dirty)
        if (const ProcessRow* r = store.find(pid); r && accepts(*r))
            fresh.push_back({m_sortColumn >= 0 ? m_model->number(*r, m_sortColumn) : 0.0, pid});
    std::sort(fresh.begin(), fresh.end(), less);
    // ...merged with the unchanged ones of the last ranking (their keys and order are as they were).
    std::vector<RankEntry> merged;
    merged.reserve(m_ranking.size() + fresh.size());
    auto f = fresh.begin();
    for (const RankEntry& e : m_ranking) {
        if (isDirty(e.pid)) continue; // changed or gone (the log names removals too)
        while (f != fresh.end() && less(*f, e)) merged.push_back(*f++);
        merged.push_back(e);
    }
    merged.insert(merged.end(), f, fresh.end());
    if (!m_rankingComplete && !m_ranking.empty()) {
        // Unchanged processes beyond the last ranking's end are unknown: they all rank after its
        // last entry, so only the entries up to that one are certain.
        const RankEntry edge = m_ranking.back();
        merged.erase(std::upper_bound(merged.begin(), merged.end(), edge, less), merged.end());
        if (m_topN <= 0 || merged.size() < std::size_t(m_topN)) return false;
    }
    const std::size_t reserve = rankingKept(merged.size());
    if (merged.size() > reserve) {
        merged.resize(reserve);
        m_rankingComplete = false;
    }
    m_ranking = std::move(merged);
    m_rankingMark = store.changeMark();
    pids = shownOf(m_ranking);
    return true;
}

void ProcessFilterProxy::reindexFrom(std::size_t row) {
    if (row == 0) m_rowOf.clear();
    for (std::size_t i = row; i < m_pids.size(); ++i) m_rowOf[m_pids[i]] = int(i);
}

void ProcessFilterProxy::relayout(std::vector<std::uint64_t> pids) {
    // First the row count, then the content as a layout change with persistent indexes moved by pid.
    const int oldCount = int(m_pids.size()), newCount = int(pids.size());
    if (newCount < oldCount) {
        beginRemoveRows({}, newCount, oldCount - 1);
        for (int i = newCount; i < oldCount; ++i) m_rowOf.erase(m_pids[std::size_t(i)]);
        m_pids.resize(std::size_t(newCount));
        endRemoveRows();
    } else if (newCount > oldCount) {
        beginInsertRows({}, oldCount, newCount - 1);
        m_pids.insert(m_pids.end(), pids.begin() + oldCount, pids.end());
        reindexFrom(std::size_t(oldCount));
        endInsertRows();
    }
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<std::uint64_t> pidsBefore;
    pidsBefore.reserve(std::size_t(before.size()));
    for (const auto& index : before) pidsBefore.push_back(index.row() < int(m_pids.size()) ? m_pids[std::size_t(index.row())] : 0);
    m_pids = std::move(pids);
    reindexFrom(0);
    QModelIndexList after;
    after.reserve(before.size());
    for (int i = 0; i < before.size(); ++i) {
        auto it = m_rowOf.find(pidsBefore[std::size_t(i)]);
        after.push_back(it == m_rowOf.end() ? QModelIndex() : createIndex(it->second, before[i].column()));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ProcessFilterProxy::setFilterText(const QString& text) {
    if (text == m_filterText) return;
    m_rankingValid = false; // the order's rules or the rows changed: rank everything
    m_filterText = text;
    if (m_model) relayout(ranked());
}

void ProcessFilterProxy::setTopN(int n) {
    n = std::max(0, n);
    if (n == m_topN) return;
    m_rankingValid = false; // the order's rules or the rows changed: rank everything
    m_topN = n;
    if (m_model) relayout(ranked());
}

void ProcessFilterProxy::tick() {
    if (m_model) relayout(ranked());
}

void ProcessFilterProxy::sort(int column, Qt::SortOrder order) {
    m_rankingValid = false; // the order's rules or the rows changed: rank everything
    m_sortColumn = column;
    m_sortOrder = order;
    if (m_model) relayout(ranked());
}

// ---- following the source ----

void ProcessFilterProxy::sourceRowsAboutToBeRemoved(const QModelIndex&, int first, int last) {
    std::vector<int> gone;
    for (int r = first; r <= last; ++r) {
        auto it = m_rowOf.find(m_model->store().row(r).record.pid);
        if (it != m_rowOf.end()) gone.push_back(it->second);
    }
    if (gone.empty()) return;
    std::sort(gone.begin(), gone.end(), std::greater<int>());
    std::size_t i = 0;
    while (i < gone.size()) {
        std::size_t j = i;
        while (j + 1 < gone.size() && gone[j + 1] == gone[j] - 1) ++j;
        const int lo = gone[j], hi = gone[i];
        beginRemoveRows({}, lo, hi);
        for (int r = lo; r <= hi; ++r) m_rowOf.erase(m_pids[std::size_t(r)]);
        m_pids.erase(m_pids.begin() + lo, m_pids.begin() + hi + 1);
        reindexFrom(std::size_t(lo));
        endRemoveRows();
        i = j + 1;
    }
}

void ProcessFilterProxy::sourceRowsInserted(const QModelIndex&, int first, int last) {
    // Newcomers join at the end while the top has room; the next tick ranks them.
    std::vector<std::uint64_t> fresh;
    for (int r = first; r <= last; ++r) {
        if (m_topN > 0 && int(m_pids.size() + fresh.size()) >= m_topN) break;
        const ProcessRow& row = m_model->store().row(r);
        if (accepts(row)) fresh.push_back(row.record.pid);
    }
    if (fresh.empty()) return;
    const int at = int(m_pids.size());
    beginInsertRows({}, at, at + int(fresh.size()) - 1);
    m_pids.insert(m_pids.end(), fresh.begin(), fresh.end());
    reindexFrom(std::size_t(at));
    endInsertRows();
}

void ProcessFilterProxy::sourceDataChanged() {
    // Views repaint only what they show: one signal over every row is as cheap as it gets.
    if (!m_pids.empty()) emit dataChanged(index(0, 0), index(int(m_pids.size()) - 1, columnCount() - 1));
}

void ProcessFilterProxy::sourceAboutToBeReset() { beginResetModel(); }

void ProcessFilterProxy::sourceReset() {
    m_rankingValid = false; // the order's rules or the rows changed: rank everything
    m_pids = ranked();
    reindexFrom(0);
    endResetModel();
}

// ---- QAbstractProxyModel ----

QModelIndex ProcessFilterProxy::mapToSource(const QModelIndex& proxyIndex) const {
    if (!m_model || !proxyIndex.isValid() || proxyIndex.row() >= int(m_pids.size())) return {};
    const int row = m_model->rowOfPid(m_pids[std::size_t(proxyIndex.row())]);
    return row < 0 ? QModelIndex() : m_model->index(row, proxyIndex.column());
}

QModelIndex ProcessFilterProxy::mapFromSource(const QModelIndex& sourceIndex) const {
    if (!m_model || !sourceIndex.isValid() || sourceIndex.row() >= m_model->rowCount()) return {};
    auto it = m_rowOf.find(m_model->store().row(sourceIndex.row()).record.pid);
    return it == m_rowOf.end() ? QModelIndex() : createIndex(it->second, sourceIndex.column());
}

QModelIndex ProcessFilterProxy::index(int row, int column, const QModelIndex& parent) const {
    if (parent.isValid() || row < 0 || column < 0 || row >= int(m_pids.size()) || column >= columnCount()) return {};
    return createIndex(row, column);
}

QModelIndex ProcessFilterProxy::parent(const QModelIndex&) const { return {}; }

int ProcessFilterProxy::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_pids.size()); }

int ProcessFilterProxy::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool ProcessFilterProxy::hasChildren(const QModelIndex& parent) const { return !parent.isValid() && !m_pids.empty(); }

QVariant ProcessFilterProxy::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && m_model) return m_model->headerData(section, orientation, role);
    if (orientation == Qt::Vertical && role == Qt::DisplayRole) return section + 1;
    return {};
}

} // namespace canopy::views
