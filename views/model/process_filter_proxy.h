#pragma once
#include <QSortFilterProxyModel>
#include <cstdint>
#include <unordered_set>

namespace canopy::views {

class ProcessTableModel;

/// The process table as shown: a text filter (name, pid, child id or initial call), an optional
/// top-N by the sort column, and sorting that happens on tick() (about once a second) or when the
/// user clicks a header, not on every batch, so rows do not jump under the pointer and a
/// 100k-process session stays cheap. Sorting keeps the selection (persistent indexes).
class ProcessFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProcessFilterProxy(QObject* parent = nullptr);

    /// The source must be a ProcessTableModel.
    void setProcessModel(ProcessTableModel* model);
    /// Shows only processes whose name, pid text, child id or initial call contains `text`
    /// (case-insensitive; "" = all).
    void setFilterText(const QString& text);
    QString filterText() const { return m_filterText; }
    /// Shows only the first `n` processes in sort order (0 = all). Recomputed on tick().
    void setTopN(int n);
    int topN() const { return m_topN; }
    /// Re-sorts (and recomputes the top-N) with the current sort column and order.
    void tick();

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool matchesText(int sourceRow) const;
    bool rowLess(int left, int right) const;
    void recomputeTop();

    ProcessTableModel* m_model = nullptr;
    QString m_filterText;
    int m_topN = 0;
    /// The pids ranked in the top N (newcomers join while it has room; see filterAcceptsRow).
    mutable std::unordered_set<std::uint64_t> m_top;
};

} // namespace canopy::views
