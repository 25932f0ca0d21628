#pragma once
#include "views/widgets/diff_request.h"
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QToolButton;
class QTreeView;

namespace canopy::views {

class DiffModel;

/// The diff panel: "Compare with..." controls (moment A, moment B or another session file) that
/// emit diffRequested for the worker, a summary with the count of each category, a filter box, and
/// the changes grouped by category (a DiffModel behind a recursive filter proxy). Activating a row
/// emits itemActivated so the tree can centre on it.
class DiffPanel : public QWidget {
    Q_OBJECT
public:
    /// A panel with its own empty DiffModel.
    explicit DiffPanel(QWidget* parent = nullptr);

    /// The model shown; the shell fills it with DiffModel::setListing when the worker answers.
    DiffModel* model() const { return m_model; }
    /// The session's length and cursor: the bound of the moment fields, and B's default (the cursor)
    /// until the user edits B. Cheap: the shell may call it with every batch.
    void setSessionRange(std::int64_t durationNs, std::int64_t cursorNs);
    /// Fills the controls (no signal).
    void setRequest(const DiffRequest& request);
    /// What the controls say now (the request Compare would send).
    DiffRequest request() const;
    /// Shows a worker error ("cannot open x.canopy: ...") in the summary line, or "" to clear it.
    void setError(const QString& message);
    /// "Computing..." while the worker works (controls stay usable; a newer request wins).
    void setBusy(bool busy);

    /// The summary line as shown ("00:10 (12 processes) -> 01:30 (14): 3 added, 1 removed, ...").
    QString summaryText() const;
    /// The filter text box and the view, for tests.
    QLineEdit* filterEdit() const { return m_filter; }
    QTreeView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }

    /// Parses `mm:ss`, `h:mm:ss`, `90`, `90s`, `1500ms`, `2m`, `12.5` into ns; -1 when not a time.
    static std::int64_t parseMoment(const QString& text);

public slots:
    /// Validates the controls and emits diffRequested (or shows what is wrong).
    void compare();

signals:
    /// Compare what `request` says.
    void diffRequested(const canopy::views::DiffRequest& request);
    /// The user activated a changed process: select / centre it on the tree.
    void itemActivated(quint64 pid, const QString& path);

private:
    void updateSummary();
    void updateMode();
    void activate(const QModelIndex& proxyIndex);

    DiffModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QComboBox* m_mode = nullptr;
    QLineEdit* m_momentA = nullptr;
    QLineEdit* m_momentB = nullptr;
    QLineEdit* m_file = nullptr;
    QToolButton* m_browse = nullptr;
    QPushButton* m_compare = nullptr;
    QLabel* m_fileLabel = nullptr;
    QLabel* m_summary = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QString m_error;
    bool m_busy = false;
    bool m_momentBEdited = false;
    std::int64_t m_durationNs = 0;
};

} // namespace canopy::views
