#pragma once
#include "views/model/change_batch.h"
#include "views/model/process_store.h"
#include <QAbstractTableModel>

namespace canopy::views {

/// Every process of the session as a table (pid, name, kind, supervisor, status, mailbox, handled,
/// msg/s, restarts, memory), updated from change batches: exits remove their rows, spawns append,
/// counter and field changes emit one dataChanged over the rows they touch. Never rescans.
class ProcessTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// The columns, in display order.
    enum Column { Pid, Name, Kind, Supervisor, Status, Mailbox, Handled, MessageRate, Restarts, Memory, ColumnCount };
    /// Extra roles: the pid (quint64) of a row, and the raw numeric value used for sorting.
    enum Role { PidRole = Qt::UserRole + 1, SortRole };

    explicit ProcessTableModel(QObject* parent = nullptr);

    /// Applies one batch from the session worker (a reset batch replaces every row).
    void applyBatch(const ChangeBatch& batch);
    /// Removes every row.
    void clear();
    /// The rows behind the table (for the inspector and the sort/filter proxy).
    const ProcessStore& store() const { return m_store; }
    /// The source row of `pid`, or -1.
    int rowOfPid(quint64 pid) const { return m_store.rowOf(pid); }
    /// Display text of one cell (no QVariant): what data(DisplayRole) shows.
    QString text(int row, int column) const;
    QString text(const ProcessRow& row, int column) const;
    /// The numeric sort key of one cell; strings compare by text() instead (see isNumeric()).
    double number(int row, int column) const;
    double number(const ProcessRow& row, int column) const;
    double number(const ProcessNumbers& numbers, int column) const;
    /// True for columns sorted by number().
    static bool isNumeric(int column);
    /// Header text of a column.
    static QString columnTitle(int column);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ProcessStore m_store;
};

} // namespace canopy::views
