#pragma once
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;
class QTimer;

namespace canopy::views {
class ProcessFilterProxy;
class ProcessTableModel;
class SteadyLabel;
} // namespace canopy::views

namespace canopy::app {

/// The "Processes" panel: a filter box, a top-N choice and the process table (sorted by mailbox,
/// descending, by default; re-sorted once a second, keeping the selection).
class ProcessTablePanel : public QWidget {
    Q_OBJECT
public:
    /// Shows `model` through its own filter proxy.
    explicit ProcessTablePanel(views::ProcessTableModel* model, QWidget* parent = nullptr);

    /// Selects the row of `pid` (if shown) without emitting processSelected.
    void selectPid(quint64 pid);
    /// The pid of the selected row (0 if none).
    quint64 selectedPid() const;
    /// Rows shown at most (0 = all).
    void setTopN(int n);
    /// Re-sorts now (normally once a second).
    void tick();
    /// Updates the "N of M processes" line.
    void refreshCount();

    views::ProcessFilterProxy* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    /// The user selected a process (click or keyboard).
    void processSelected(quint64 pid);
    /// Right click on a process.
    void contextMenuRequested(quint64 pid, const QPoint& globalPos);

private:
    views::ProcessTableModel* m_model = nullptr;
    views::ProcessFilterProxy* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QComboBox* m_topN = nullptr;
    views::SteadyLabel* m_count = nullptr;
    QTimer* m_tick = nullptr;
    bool m_selecting = false;
    int m_modelChanging = 0;
};

} // namespace canopy::app
