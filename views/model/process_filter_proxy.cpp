#include "views/model/process_filter_proxy.h"
#include "views/model/process_table_model.h"
#include <algorithm>
#include <numeric>
#include <vector>

namespace canopy::views {

ProcessFilterProxy::ProcessFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(false);
    setSortRole(ProcessTableModel::SortRole);
}

void ProcessFilterProxy::setProcessModel(ProcessTableModel* model) {
    m_model = model;
    setSourceModel(model);
    // A new tree: choose its top N at once (after the proxy mapped the reset), not on the next tick.
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_topN <= 0) return;
        recomputeTop();
        invalidateFilter();
        if (sortColumn() >= 0) QSortFilterProxyModel::sort(sortColumn(), sortOrder());
    });
}

void ProcessFilterProxy::setFilterText(const QString& text) {
    if (text == m_filterText) return;
    m_filterText = text;
    recomputeTop();
    invalidateFilter();
    if (sortColumn() >= 0) QSortFilterProxyModel::sort(sortColumn(), sortOrder());
}

void ProcessFilterProxy::setTopN(int n) {
    n = std::max(0, n);
    if (n == m_topN) return;
    m_topN = n;
    recomputeTop();
    invalidateFilter();
    if (sortColumn() >= 0) QSortFilterProxyModel::sort(sortColumn(), sortOrder());
}

void ProcessFilterProxy::tick() {
    if (!m_model) return;
    if (m_topN > 0) {
        auto before = m_top;
        recomputeTop();
        if (before != m_top) invalidateFilter();
    }
    if (sortColumn() >= 0) QSortFilterProxyModel::sort(sortColumn(), sortOrder());
}

void ProcessFilterProxy::sort(int column, Qt::SortOrder order) {
    const bool changed = column != sortColumn() || order != sortOrder();
    QSortFilterProxyModel::sort(column, order);
    if (changed && m_topN > 0) {
        recomputeTop();
        invalidateFilter();
        QSortFilterProxyModel::sort(column, order);
    }
}

bool ProcessFilterProxy::matchesText(int sourceRow) const {
    if (m_filterText.isEmpty()) return true;
    const auto& p = m_model->store().row(sourceRow).record;
    auto has = [&](const std::string& s) {
        return !s.empty() && QString::fromStdString(s).contains(m_filterText, Qt::CaseInsensitive);
    };
    if (has(p.name) || has(p.childId) || has(p.initialCall) || has(p.pidText)) return true;
    return QString::number(p.pid) == m_filterText;
}

bool ProcessFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_model || sourceParent.isValid()) return true;
    if (m_topN > 0) {
        const auto pid = m_model->store().row(sourceRow).record.pid;
        if (!m_top.count(pid)) {
            // Until the next tick ranks it, a newcomer is shown only while the top is not full.
            if (m_top.size() >= static_cast<std::size_t>(m_topN) || !matchesText(sourceRow)) return false;
            m_top.insert(pid);
            return true;
        }
    }
    return matchesText(sourceRow);
}

bool ProcessFilterProxy::rowLess(int left, int right) const {
    const int column = sortColumn() < 0 ? ProcessTableModel::Pid : sortColumn();
    if (ProcessTableModel::isNumeric(column)) {
        const double a = m_model->number(left, column), b = m_model->number(right, column);
        if (a != b) return a < b;
    } else {
        const int c = QString::compare(m_model->text(left, column), m_model->text(right, column), Qt::CaseInsensitive);
        if (c != 0) return c < 0;
    }
    return m_model->store().row(left).record.pid < m_model->store().row(right).record.pid;
}

bool ProcessFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!m_model) return QSortFilterProxyModel::lessThan(left, right);
    return rowLess(left.row(), right.row());
}

void ProcessFilterProxy::recomputeTop() {
    m_top.clear();
    if (!m_model || m_topN <= 0) return;
    std::vector<int> rows;
    rows.reserve(static_cast<std::size_t>(m_model->rowCount()));
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (matchesText(r)) rows.push_back(r);
    const bool descending = sortOrder() == Qt::DescendingOrder;
    auto before = [&](int a, int b) { return descending ? rowLess(b, a) : rowLess(a, b); };
    const std::size_t n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(m_topN));
    if (n < rows.size()) std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), before);
    m_top.reserve(n);
    for (std::size_t i = 0; i < n; ++i) m_top.insert(m_model->store().row(rows[i]).record.pid);
}

} // namespace canopy::views
