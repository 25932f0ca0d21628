#pragma once
#include <QAbstractProxyModel>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace canopy::views {

class ProcessTableModel;
struct ProcessRow;

/// The process table as shown: a text filter (name, pid, child id or initial call), an optional
/// top-N by the sort column, and an order that is recomputed on tick() (about once a second) or
/// when the user clicks a header, not on every batch, so rows do not jump under the pointer.
/// Between ticks, exited processes leave and newcomers join at the end while the top has room.
/// Re-sorting keeps the selection (persistent indexes follow their process).
///
/// Why not QSortFilterProxyModel: it keeps an O(rows) mapping that it walks on every source row
/// removal; with 100k processes and hundreds of exits a second that alone was ~10 M instructions per
/// batch. This proxy holds only the rows it shows (pids in display order), so a batch costs
/// O(shown rows) at most, and ranking 100k processes for the top N is one nth_element per tick.
class ProcessFilterProxy : public QAbstractProxyModel {
    Q_OBJECT
public:
    explicit ProcessFilterProxy(QObject* parent = nullptr);

    /// The source must be a ProcessTableModel.
    void setProcessModel(ProcessTableModel* model);
    /// Shows only processes whose name, pid text, child id or initial call contains `text`
    /// (case-insensitive; "" = all). Applied at once.
    void setFilterText(const QString& text);
    QString filterText() const { return m_filterText; }
    /// Shows only the first `n` processes in sort order (0 = all). Applied at once.
    void setTopN(int n);
    int topN() const { return m_topN; }
    /// Re-ranks and re-sorts with the current sort column and order (keeps the selection).
    void tick();
    /// The sort column (-1 = arrival order) and order.
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    void setSourceModel(QAbstractItemModel* source) override;
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool accepts(const ProcessRow& row) const;
    bool before(const ProcessRow& a, const ProcessRow& b) const;
    /// The pids to show, in order (the filter, the top N, the sort).
    std::vector<std::uint64_t> ranked() const;
    std::vector<std::uint64_t> rankedByNumber() const;
    /// Replaces the rows shown by `pids`, keeping persistent indexes on their processes.
    void relayout(std::vector<std::uint64_t> pids);
    void reindexFrom(std::size_t row);
    void sourceRowsAboutToBeRemoved(const QModelIndex& parent, int first, int last);
    void sourceRowsInserted(const QModelIndex& parent, int first, int last);
    void sourceDataChanged();
    void sourceAboutToBeReset();
    void sourceReset();

    ProcessTableModel* m_model = nullptr;
    QString m_filterText;
    int m_topN = 0;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    std::vector<std::uint64_t> m_pids;
    std::unordered_map<std::uint64_t, int> m_rowOf;
};

} // namespace canopy::views
