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
/// Re-sorting keeps the selection (persistent indexes follow their process). A tick ranks by a
/// number from the last ranking and the processes changed since (ProcessStore's change log): a
/// few thousand changes a second cost a fraction of a millisecond, not a look at all 100k rows.
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
    /// One process in a ranking by a number: its key (the sort column's number) and pid.
    struct RankEntry {
        double key;
        std::uint64_t pid;
    };
    /// The pids to show, in order (the filter, the top N, the sort).
    std::vector<std::uint64_t> ranked();
    std::vector<std::uint64_t> rankedByNumber();
    /// rankedByNumber() from the last ranking and the processes changed since (false when that
    /// cannot give the answer: rank everything).
    bool rerankChanged(std::vector<std::uint64_t>& pids);
    bool rankBefore(const RankEntry& a, const RankEntry& b) const;
    /// True when a process's place depends on its record alone (not on the time: Msg/s, not a text).
    bool rankingFollowsChanges() const;
    /// How much of a ranking of `ranked` processes to keep for the next tick.
    std::size_t rankingKept(std::size_t ranked) const;
    /// The pids shown for a ranking (its first N).
    std::vector<std::uint64_t> shownOf(const std::vector<RankEntry>& ranking) const;
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
    /// The last ranking by a number: the first entries of the order of every accepted process (a
    /// reserve beyond the top N), the store's change mark when it was made, whether it holds every
    /// accepted process, whether it can be carried forward (cleared when the order's rules change).
    std::vector<RankEntry> m_ranking;
    std::uint64_t m_rankingMark = 0;
    bool m_rankingComplete = false;
    bool m_rankingValid = false;
};

} // namespace canopy::views
